package jp.otpgateway.gateway.custody.application;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import jp.otpgateway.gateway.custody.application.port.ResealJobs;
import jp.otpgateway.gateway.custody.application.port.ResealJobs.Job;
import jp.otpgateway.gateway.custody.application.port.ResealJobs.Resealed;
import jp.otpgateway.gateway.custody.application.port.ResealJobs.Sealed;
import jp.otpgateway.gateway.custody.application.port.SeedVault;
import jp.otpgateway.gateway.custody.domain.KeyRing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Use case: the background re-seal of a tenant's seeds and transport keys to its newest key, while
 * verification goes on (docs/custody.md). One instance at a time holds a job's lease and renews it
 * with every batch; a batch is written with the job's cursor in one transaction, so a job taken
 * over after a crash goes on after the last batch written. A secret is rewritten only where its
 * row still holds what was read. Progress: the log every {@value #LOG_EVERY} secrets, the gauge
 * {@code otp.custody.reseal.remaining} and the counter {@code otp.custody.resealed} per tenant.
 */
@Service
public class ResealingSeeds {

    private static final Logger log = LoggerFactory.getLogger(ResealingSeeds.class);
    static final int LOG_EVERY = 100_000;
    static final Duration LEASE = Duration.ofSeconds(30);
    /** The cursor once every seed is done: serials are digits, and '~' sorts after every one. */
    static final String AFTER_EVERY_SERIAL = "~";

    private final ResealJobs jobs;
    private final SeedVault vault;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, AtomicLong> remaining = new ConcurrentHashMap<>();

    public ResealingSeeds(ResealJobs jobs, SeedVault vault, Clock clock, MeterRegistry meters) {
        this.jobs = jobs;
        this.vault = vault;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * Takes one job that is due and runs it to its end, or until {@code maxBatches} batches are
     * written or its lease is lost; how many secrets it re-sealed (0 when no job was due).
     */
    public Mono<Long> work(String owner, int batchSize, long maxBatches) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return jobs.claim(owner, now, now.plus(LEASE));
        }).flatMap(claimed -> claimed.isEmpty() ? Mono.just(0L) : run(claimed.get(), owner, batchSize, maxBatches));
    }

    private Mono<Long> run(Job job, String owner, int batchSize, long maxBatches) {
        String prefix = KeyRing.prefixHex(job.keyId());
        AtomicLong left = remaining.computeIfAbsent(job.tenantId(), tenant -> {
            AtomicLong gauge = new AtomicLong();
            Gauge.builder("otp.custody.reseal.remaining", gauge, AtomicLong::get).tag("tenant", tenant)
                    .description("secrets of the tenant not yet re-sealed to its newest key").register(meters);
            return gauge;
        });
        AtomicLong done = new AtomicLong();
        long startedNanos = System.nanoTime();
        return jobs.countNotUnder(job.tenantId(), prefix)
                .doOnNext(n -> {
                    left.set(n);
                    if (n > 0 || job.resealed() > 0) {
                        log.info("re-seal of tenant {} to key {}: {} secrets to go (resuming after serial '{}', {} done before)",
                            job.tenantId(), job.keyId(), n, job.afterSerial(), job.resealed());
                    }
                })
                .then(Mono.defer(() -> batches(job, owner, prefix, batchSize, maxBatches, job.afterSerial(), done, left, startedNanos)))
                .thenReturn(done)
                .map(AtomicLong::get);
    }

    private Mono<Void> batches(Job job, String owner, String prefix, int batchSize, long maxBatches, String after,
                               AtomicLong done, AtomicLong left, long startedNanos) {
        if (maxBatches <= 0) {
            return Mono.empty();
        }
        return jobs.seedsNotUnder(job.tenantId(), prefix, after, batchSize).collectList()
                .flatMap(batch -> {
                    if (batch.isEmpty()) {
                        return finishWithTransportKeys(job, owner, prefix, done, left, startedNanos);
                    }
                    String last = batch.get(batch.size() - 1).subject();
                    return reseal(job, batch)
                            .flatMap(resealed -> jobs.write(job.tenantId(), resealed, List.of(), last, owner,
                                    clock.instant().plus(LEASE)))
                            .flatMap(kept -> {
                                if (!kept) {
                                    log.warn("re-seal of tenant {}: lease lost after serial '{}'; another instance goes on",
                                            job.tenantId(), after);
                                    return Mono.<Void>empty();
                                }
                                progress(job, batch.size(), done, left, startedNanos);
                                return batches(job, owner, prefix, batchSize, maxBatches - 1, last, done, left, startedNanos);
                            });
                });
    }

    private Mono<Void> finishWithTransportKeys(Job job, String owner, String prefix, AtomicLong done, AtomicLong left,
                                               long startedNanos) {
        return jobs.pskcKeysNotUnder(job.tenantId(), prefix).collectList()
                .flatMap(keys -> keys.isEmpty() ? Mono.just(true)
                        : reseal(job, keys).flatMap(resealed -> jobs.write(job.tenantId(), List.of(), resealed,
                                AFTER_EVERY_SERIAL, owner, clock.instant().plus(LEASE)))
                                .doOnNext(kept -> progress(job, keys.size(), done, left, startedNanos)))
                .flatMap(kept -> kept ? jobs.finish(job.tenantId(), owner, clock.instant()).doOnSuccess(v -> {
                    left.set(0);
                    if (done.get() == 0) {
                        return;
                    }
                    double seconds = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
                    log.info("re-seal of tenant {} to key {} finished: {} secrets in {} s ({}/s)", job.tenantId(),
                            job.keyId(), done.get(), String.format("%.1f", seconds), Math.round(done.get() / seconds));
                }) : Mono.empty());
    }

    private Mono<List<Resealed>> reseal(Job job, List<Sealed> batch) {
        // AES-GCM of a thousand seeds, each with a fresh nonce from SecureRandom: off the event loop.
        return Flux.fromIterable(batch)
                .map(s -> new Resealed(s.subject(), s.sealed(), vault.reseal(job.tenantId(), s.subject(), s.sealed(), job.keyId())))
                .collectList()
                .subscribeOn(Schedulers.boundedElastic());
    }

    private void progress(Job job, int n, AtomicLong done, AtomicLong left, long startedNanos) {
        long before = done.getAndAdd(n);
        left.updateAndGet(v -> Math.max(0, v - n));
        meters.counter("otp.custody.resealed", "tenant", job.tenantId()).increment(n);
        if ((before + n) / LOG_EVERY > before / LOG_EVERY) {
            double seconds = Math.max(1e-3, (System.nanoTime() - startedNanos) / 1e9);
            log.info("re-seal of tenant {} to key {}: {} done, {} to go ({}/s)", job.tenantId(), job.keyId(),
                    before + n, left.get(), Math.round((before + n) / seconds));
        }
    }
}
