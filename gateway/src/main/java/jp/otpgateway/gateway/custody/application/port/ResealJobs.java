package jp.otpgateway.gateway.custody.application.port;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Port: the background re-seal of a tenant's secrets to one of its keys (V14 reseal_jobs), resumable
 * from its cursor by whichever instance holds its lease.
 */
public interface ResealJobs {

    record Job(String tenantId, long keyId, String afterSerial, long resealed, Instant startedAt,
               Optional<Instant> finishedAt) {
    }

    /**
     * A sealed secret: a token's seed ({@code subject} its serial) or a PSKC transport key ({@code
     * subject} {@link SeedVault#PSKC_KEY_SUBJECT} + its name), as the vault's associated data names it.
     */
    record Sealed(String subject, byte[] sealed) {
    }

    record Resealed(String subject, byte[] before, byte[] after) {
    }

    /** A job re-sealing to {@code keyId} from the start, in place of any earlier one of the tenant. */
    Mono<Void> start(String tenantId, long keyId, Instant at);

    Mono<Optional<Job>> of(String tenantId);

    /**
     * An unfinished job whose key seals by {@code now} and whose lease is free or expired, leased to
     * {@code owner} until {@code leaseUntil}; empty when there is none.
     */
    Mono<Optional<Job>> claim(String owner, Instant now, Instant leaseUntil);

    /** The tenant's seeds after {@code afterSerial} (serial order) not sealed under {@code prefixHex}. */
    Flux<Sealed> seedsNotUnder(String tenantId, String prefixHex, String afterSerial, int limit);

    Flux<Sealed> pskcKeysNotUnder(String tenantId, String prefixHex);

    /** Secrets of the tenant not sealed under {@code prefixHex}: seeds and transport keys. */
    Mono<Long> countNotUnder(String tenantId, String prefixHex);

    /**
     * Writes the re-sealed secrets (each only where its row still holds {@code before}) and moves
     * the job's cursor to {@code afterSerial}, renewing the lease, in one transaction; false when
     * the lease was lost (nothing written).
     */
    Mono<Boolean> write(String tenantId, List<Resealed> seeds, List<Resealed> pskcKeys, String afterSerial,
                        String owner, Instant leaseUntil);

    Mono<Void> finish(String tenantId, String owner, Instant at);

    /** Drops the tenant's job (its keys were destroyed: nothing is left to re-seal to). */
    Mono<Void> cancel(String tenantId);
}
