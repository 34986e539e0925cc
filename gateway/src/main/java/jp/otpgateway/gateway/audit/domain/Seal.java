package jp.otpgateway.gateway.audit.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A sealed block of a tenant's audit events: ids first..last, their digest (computed as its {@code
 * format} says, AuditChain.digest) and the chained MAC.
 */
public record Seal(String tenantId, long blockNo, long firstEventId, long lastEventId, int rowCount, Instant lastAt,
                   byte[] digest, byte[] mac, Instant sealedAt, Optional<Instant> purgedAt, int format) {
}
