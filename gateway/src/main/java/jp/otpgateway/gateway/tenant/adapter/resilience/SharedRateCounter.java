package jp.otpgateway.gateway.tenant.adapter.resilience;

import reactor.core.publisher.Mono;

/** Counts a tenant's requests per second over every instance (RedisTenantRates). */
@FunctionalInterface
public interface SharedRateCounter {

    /** Whether one more request fits in this second's {@code limit}; an error when it cannot be counted now. */
    Mono<Boolean> tryAcquire(String tenantId, int limit);
}
