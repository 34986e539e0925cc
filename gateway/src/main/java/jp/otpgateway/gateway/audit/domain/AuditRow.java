package jp.otpgateway.gateway.audit.domain;

import java.time.Instant;
import java.util.Optional;

/** One stored audit event as it is sealed, verified and read (never a code, a seed or a password). */
public record AuditRow(long id, String tenantId, Instant at, Optional<String> loginId, Optional<String> serial,
                       String operation, String outcome, String client, Optional<String> actor,
                       Optional<String> staffId, Optional<String> contractId, Optional<String> subject) {
}
