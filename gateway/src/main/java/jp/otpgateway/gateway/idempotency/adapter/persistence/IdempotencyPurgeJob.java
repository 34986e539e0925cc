package jp.otpgateway.gateway.idempotency.adapter.persistence;

import java.time.Clock;
import jp.otpgateway.gateway.idempotency.application.port.IdempotentRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Deletes idempotency records after their 24 h. Safe on every instance at once: each run deletes
 * what has expired, in batches, and deleting twice is harmless. Expired records are never replayed
 * even before they are deleted (the claim takes them over).
 */
@Component
public class IdempotencyPurgeJob {

    static final int BATCH = 10_000;
    private static final Logger log = LoggerFactory.getLogger(IdempotencyPurgeJob.class);

    private final IdempotentRequests store;
    private final Clock clock;

    public IdempotencyPurgeJob(IdempotentRequests store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${otp.idempotency.purge-interval:10m}",
            initialDelayString = "${otp.idempotency.purge-interval:10m}")
    public Mono<Long> purge() {
        return Mono.defer(() -> store.purgeExpired(clock.instant(), BATCH))
                .expand(deleted -> deleted == BATCH ? store.purgeExpired(clock.instant(), BATCH) : Mono.empty())
                .reduce(0L, Long::sum)
                .doOnNext(total -> {
                    if (total > 0) {
                        log.info("deleted {} expired idempotency records", total);
                    }
                })
                .onErrorResume(e -> {
                    log.warn("idempotency records not purged this time: {}", e.toString());
                    return Mono.empty();
                });
    }
}
