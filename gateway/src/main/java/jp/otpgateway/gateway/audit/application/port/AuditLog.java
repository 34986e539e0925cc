package jp.otpgateway.gateway.audit.application.port;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/** Port: the audit trail of lifecycle changes (tenant, user, serial, operation, outcome, time, client). Never a code. */
public interface AuditLog {

    record Event(String tenantId, Instant at, Optional<String> loginId, Optional<String> serial, String operation,
                 String outcome, String client, Optional<String> actor) {
    }

    Mono<Void> append(List<Event> events);
}
