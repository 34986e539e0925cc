package jp.otpgateway.gateway.audit.application.port;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import jp.otpgateway.gateway.audit.domain.AuditRow;
import jp.otpgateway.gateway.audit.domain.Seal;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Port: reading the stored audit events and their seals. */
public interface AuditTrail {

    /** The query of the operator's audit list; every criterion optional. */
    record Filter(Optional<String> loginId, Optional<String> serial, Optional<String> contractId,
                  Optional<String> operation, Optional<String> outcome, Optional<Instant> from, Optional<Instant> to) {
    }

    /** Newest first: events with an id below {@code beforeId} (all when empty), at most {@code limit}. */
    Flux<AuditRow> query(String tenantId, Filter filter, Optional<Long> beforeId, int limit);

    /** The sealing's lease for the tenant, held until the surrounding transaction ends. */
    Mono<Void> lease(String tenantId);

    Mono<Seal> lastSeal(String tenantId);

    /** The highest event id above {@code afterId} written by PostgreSQL's clock at least {@code lag} ago; 0 if none. */
    Mono<Long> watermark(String tenantId, long afterId, Duration lag);

    /** Events with afterId &lt; id &lt;= upToId, in id order, at most {@code limit}. */
    Flux<AuditRow> rows(String tenantId, long afterId, long upToId, int limit);

    Mono<Void> saveSeal(Seal seal);

    /** Every seal of the tenant, by block number. */
    Flux<Seal> seals(String tenantId);

    /** How many events have an id above {@code afterId}. */
    Mono<Long> countAfter(String tenantId, long afterId);

    /** Removes the block's rows and marks it purged; answers the rows removed. */
    Mono<Long> purge(Seal seal, Instant now);
}
