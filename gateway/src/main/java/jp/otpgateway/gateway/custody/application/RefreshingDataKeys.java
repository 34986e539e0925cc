package jp.otpgateway.gateway.custody.application;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jp.otpgateway.gateway.custody.application.port.DataKeys;
import jp.otpgateway.gateway.custody.application.port.ResealJobs;
import jp.otpgateway.gateway.custody.application.port.SeedKeys;
import jp.otpgateway.gateway.custody.application.port.SeedKeys.WrappedKey;
import jp.otpgateway.gateway.custody.domain.KeyRing;
import jp.otpgateway.gateway.tenant.application.TenantRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Use case: every instance reads the tenants' data keys into memory, at start and then every
 * {@code otp.crypto.data-keys.refresh} (docs/custody.md). A tenant in force that has no key yet
 * (a new tenant, or the first start after an upgrade) gets its first one here, and a re-seal job
 * that moves its seeds from the legacy keyset, if any, to it.
 */
@Service
public class RefreshingDataKeys {

    private static final Logger log = LoggerFactory.getLogger(RefreshingDataKeys.class);

    private final DataKeys keys;
    private final ResealJobs jobs;
    private final SeedKeys seedKeys;
    private final TenantRegistry tenants;
    private final TransactionalOperator transaction;
    private final Clock clock;

    public RefreshingDataKeys(DataKeys keys, ResealJobs jobs, SeedKeys seedKeys, TenantRegistry tenants,
                              TransactionalOperator transaction, Clock clock) {
        this.keys = keys;
        this.jobs = jobs;
        this.seedKeys = seedKeys;
        this.tenants = tenants;
        this.transaction = transaction;
        this.clock = clock;
    }

    public Mono<Void> refresh() {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return read().flatMap(read -> {
                List<String> keyless = tenants.snapshot().tenants().keySet().stream()
                        .filter(t -> !read.keys().containsKey(t) && !read.destroyed().contains(t)).sorted().toList();
                if (keyless.isEmpty()) {
                    seedKeys.install(read.keys(), read.destroyed(), started);
                    return Mono.<Void>empty();
                }
                return Flux.fromIterable(keyless).concatMap(this::firstKey).then(Mono.defer(() -> {
                    long again = System.nanoTime();
                    return read().doOnNext(r -> seedKeys.install(r.keys(), r.destroyed(), again)).then();
                }));
            });
        });
    }

    private record Read(Map<String, List<WrappedKey>> keys, Set<String> destroyed) {
    }

    private Mono<Read> read() {
        return keys.all().collect(Collectors.groupingBy(WrappedKey::tenantId))
                .zipWith(keys.destroyedTenants().collect(Collectors.toSet()), Read::new);
    }

    /** Under the tenant's lock: another instance may have made it meanwhile, or shredded the tenant. */
    private Mono<Void> firstKey(String tenantId) {
        return keys.lock(tenantId)
                .then(Mono.zip(keys.of(tenantId).hasElements(), keys.destruction(tenantId)))
                .flatMap(state -> {
                    if (state.getT1() || state.getT2().flatMap(DataKeys.Destruction::destroyedAt).isPresent()) {
                        return Mono.<Void>empty();
                    }
                    Instant now = clock.instant();
                    return Mono.fromCallable(() -> seedKeys.newKey(tenantId, Set.of(), KeyRing.firstKeyPrimaryFrom(), now))
                            .subscribeOn(Schedulers.boundedElastic()) // the HSM wraps it
                            .flatMap(key -> keys.insert(key, null).then(jobs.start(tenantId, key.id(), now))
                                    .doOnSuccess(done -> log.info("tenant {}: first data key {} made, wrapped by {}",
                                            tenantId, key.id(), key.kek())));
                })
                .as(transaction::transactional);
    }
}
