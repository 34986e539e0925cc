package jp.otpgateway.gateway.tenant.adapter.resilience;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.ratelimiter.internal.SemaphoreBasedRateLimiter;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreFailures;
import jp.otpgateway.tenant.model.Limits;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Per-tenant isolation (docs/architecture.md, Failure model): each credit union gets its own rate limit
 * ({@code limits.requestsPerSecond}) and bulkhead ({@code limits.concurrentRequests}), so one
 * tenant's storm is refused at its own limits while the others' requests go on. Neither waits: a
 * request over a limit fails at once with {@code RequestNotPermitted} or {@code BulkheadFullException}.
 * <p>
 * With {@code otp.limits.shared-rate: true} the rate is counted for all instances together in
 * Redis (tenant/adapter/redis/RedisTenantRates); the bulkhead
 * stays per instance: it protects the instance. While Redis cannot count (down, or its circuit
 * open), each instance falls back to its own limiter at the tenant's full rate, so N instances then
 * allow up to N times the limit: the limits protect capacity, and an outage of Redis must not stop
 * the calls that do not need it (those that do fail closed by themselves).
 * <p>
 * That limiter is Resilience4j's semaphore-based one, refreshed by one shared timer thread:
 * its zero-timeout {@code tryAcquire} never parks, whereas the default AtomicRateLimiter backs off
 * with {@code parkNanos} under contention, on a Netty thread (BlockHound caught it). A reloaded
 * tenant file with other numbers changes the limits in place.
 */
@Component
public class TenantLimits {

    private record Guard(RateLimiter rate, Bulkhead concurrency) {
    }

    private final Map<String, Guard> guards = new ConcurrentHashMap<>();
    private final SharedRateCounter shared;
    private final MeterRegistry meters;
    private final boolean sharedRate;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tenant-rate-limits");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * {@code sharedRate} ({@code otp.limits.shared-rate}, default false): count the rate over every
     * instance in Redis; off, each instance counts alone (a single instance, or N instances that
     * each allow the full rate).
     */
    public TenantLimits(SharedRateCounter shared, MeterRegistry meters,
                        @Value("${otp.limits.shared-rate:false}") boolean sharedRate) {
        this.shared = shared;
        this.meters = meters;
        this.sharedRate = sharedRate;
    }

    /** Runs {@code call} within the tenant's limits; the bulkhead permit is held until it ends. */
    public <T> Mono<T> within(TenantConfig tenant, Mono<T> call) {
        return Mono.defer(() -> {
            Guard guard = guardOf(tenant);
            if (!sharedRate) {
                if (!guard.rate().acquirePermission()) {
                    return Mono.error(RequestNotPermitted.createRequestNotPermitted(guard.rate()));
                }
                return call.transformDeferred(BulkheadOperator.of(guard.concurrency()));
            }
            return shared.tryAcquire(tenant.id(), tenant.limits().requestsPerSecond())
                    .onErrorResume(StoreFailures::isUnavailable, e -> {
                        meters.counter("otp.rate-limits.local", "tenant", tenant.id()).increment();
                        return Mono.just(guard.rate().acquirePermission());
                    })
                    .flatMap(permitted -> permitted ? call.transformDeferred(BulkheadOperator.of(guard.concurrency()))
                            : Mono.error(RequestNotPermitted.createRequestNotPermitted(guard.rate())));
        });
    }

    private Guard guardOf(TenantConfig tenant) {
        Limits limits = tenant.limits();
        Guard guard = guards.computeIfAbsent(tenant.id(), id -> new Guard(
                new SemaphoreBasedRateLimiter("tenant-" + id, RateLimiterConfig.custom()
                        .limitForPeriod(limits.requestsPerSecond())
                        .limitRefreshPeriod(Duration.ofSeconds(1))
                        .timeoutDuration(Duration.ZERO)
                        .build(), refresher),
                Bulkhead.of("tenant-" + id, bulkhead(limits))));
        if (guard.rate().getRateLimiterConfig().getLimitForPeriod() != limits.requestsPerSecond()) {
            guard.rate().changeLimitForPeriod(limits.requestsPerSecond());
        }
        if (guard.concurrency().getBulkheadConfig().getMaxConcurrentCalls() != limits.concurrentRequests()) {
            guard.concurrency().changeConfig(bulkhead(limits));
        }
        return guard;
    }

    private static BulkheadConfig bulkhead(Limits limits) {
        return BulkheadConfig.custom().maxConcurrentCalls(limits.concurrentRequests()).maxWaitDuration(Duration.ZERO)
                .build();
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
    }
}
