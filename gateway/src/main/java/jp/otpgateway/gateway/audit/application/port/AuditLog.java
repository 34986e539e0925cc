package jp.otpgateway.gateway.audit.application.port;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Port: the audit trail of lifecycle changes (tenant, user, serial, operation, outcome, time, client,
 * the acting MASTER/ADMIN user or the branch clerk). Never a code.
 */
public interface AuditLog {

    /**
     * {@code actor}: the portal user who acted for others; {@code staffId}: the clerk of a branch form;
     * {@code contractId}: the contract an event is about when no user is (a debit account);
     * {@code subject}: what else it is about (a data key's ID, a PSKC transport key's name).
     */
    record Event(String tenantId, Instant at, Optional<String> loginId, Optional<String> serial, String operation,
                 String outcome, String client, Optional<String> actor, Optional<String> staffId,
                 Optional<String> contractId, Optional<String> subject) {

        public Event(String tenantId, Instant at, Optional<String> loginId, Optional<String> serial, String operation,
                     String outcome, String client, Optional<String> actor, Optional<String> staffId,
                     Optional<String> contractId) {
            this(tenantId, at, loginId, serial, operation, outcome, client, actor, staffId, contractId, Optional.empty());
        }

        public Event(String tenantId, Instant at, Optional<String> loginId, Optional<String> serial, String operation,
                     String outcome, String client, Optional<String> actor, Optional<String> staffId) {
            this(tenantId, at, loginId, serial, operation, outcome, client, actor, staffId, Optional.empty());
        }

        public Event(String tenantId, Instant at, Optional<String> loginId, Optional<String> serial, String operation,
                     String outcome, String client, Optional<String> actor) {
            this(tenantId, at, loginId, serial, operation, outcome, client, actor, Optional.empty());
        }

        /** The same event done by a clerk at the branch (every operator POST of a paper form). */
        public Event byStaff(String staff) {
            return new Event(tenantId, at, loginId, serial, operation, outcome, client, actor, Optional.of(staff),
                    contractId, subject);
        }

        /** The same event, about this contract. */
        public Event aboutContract(String contract) {
            return new Event(tenantId, at, loginId, serial, operation, outcome, client, actor, staffId,
                    Optional.of(contract), subject);
        }

        /** The same event, about this key (its ID or name; never its value). */
        public Event about(String what) {
            return new Event(tenantId, at, loginId, serial, operation, outcome, client, actor, staffId, contractId,
                    Optional.of(what));
        }
    }

    Mono<Void> append(List<Event> events);
}
