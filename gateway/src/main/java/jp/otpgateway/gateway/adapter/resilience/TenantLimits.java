package jp.otpgateway.gateway.adapter.resilience;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.ratelimiter.operator.RateLimiterOperator;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jp.otpgateway.tenant.model.Limits;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Per-tenant isolation (architecture.md, Resilience): each credit union gets its own rate limiter
 * ({@code limits.requestsPerSecond}) and bulkhead ({@code limits.concurrentRequests}), so one
 * tenant's storm is refused at its own limits while the others' requests go on. Neither waits: a
 * request over a limit fails at once with {@code RequestNotPermitted} or {@code BulkheadFullException}.
 * A reloaded tenant file with other numbers gets fresh limiters.
 */
@Component
public class TenantLimits {

    private record Guard(Limits limits, RateLimiter rate, Bulkhead concurrency) {
    }

    private final Map<String, Guard> guards = new ConcurrentHashMap<>();

    /** Runs {@code call} within the tenant's limits; the bulkhead permit is held until it ends. */
    public <T> Mono<T> within(TenantConfig tenant, Mono<T> call) {
        Guard guard = guardOf(tenant);
        return call.transformDeferred(BulkheadOperator.of(guard.concurrency()))
                .transformDeferred(RateLimiterOperator.of(guard.rate()));
    }

    private Guard guardOf(TenantConfig tenant) {
        Limits limits = tenant.limits();
        Guard guard = guards.get(tenant.id());
        if (guard != null && guard.limits().equals(limits)) {
            return guard;
        }
        return guards.compute(tenant.id(), (id, old) -> old != null && old.limits().equals(limits) ? old
                : new Guard(limits,
                        RateLimiter.of("tenant-" + id, RateLimiterConfig.custom()
                                .limitForPeriod(limits.requestsPerSecond())
                                .limitRefreshPeriod(Duration.ofSeconds(1))
                                .timeoutDuration(Duration.ZERO)
                                .build()),
                        Bulkhead.of("tenant-" + id, BulkheadConfig.custom()
                                .maxConcurrentCalls(limits.concurrentRequests())
                                .maxWaitDuration(Duration.ZERO)
                                .build())));
    }
}
