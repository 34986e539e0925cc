package jp.otpgateway.gateway.shared.adapter.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import jp.otpgateway.gateway.config.OtpProperties;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every call to Redis and PostgreSQL on the request path goes through a time limit and a circuit
 * breaker (docs/architecture.md, Failure model): a slow or dead store answers 503 fast instead of holding
 * connections, and every OTP decision fails closed. Only "store unreachable" failures open a
 * breaker; a constraint violation is an answer, not an outage.
 */
@Component
public class StoreCalls {

    private final CircuitBreaker redisBreaker;
    private final CircuitBreaker postgresBreaker;
    private final TimeLimiter redisLimit;
    private final TimeLimiter postgresLimit;
    private final TimeLimiter postgresBulkLimit;

    /*
     * Registries of our own, not the starter's: the starter hangs a ring buffer of recent events on
     * every breaker and time limiter (for its actuator endpoints, not exposed here), written under a
     * lock on every call, which parks a Netty thread when contended (BlockHound caught it on the
     * time limiter). The metrics are bound to Micrometer here instead.
     */
    public StoreCalls(OtpProperties properties, MeterRegistry meters) {
        OtpProperties.Resilience r = properties.resilience();
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        TimeLimiterRegistry limiters = TimeLimiterRegistry.ofDefaults();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(limiters).bindTo(meters);
        this.redisBreaker = breakers.circuitBreaker("redis", breakerConfig(r));
        this.postgresBreaker = breakers.circuitBreaker("postgres", breakerConfig(r));
        this.redisLimit = limiters.timeLimiter("redis", limit(r.redisTimeout()));
        this.postgresLimit = limiters.timeLimiter("postgres", limit(r.postgresTimeout()));
        this.postgresBulkLimit = limiters.timeLimiter("postgres-bulk", limit(r.postgresBulkTimeout()));
    }

    private static CircuitBreakerConfig breakerConfig(OtpProperties.Resilience r) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(20)
                // The default window takes a lock on every call: under contention it parks a Netty thread.
                .slidingWindowSynchronizationStrategy(CircuitBreakerConfig.SlidingWindowSynchronizationStrategy.LOCK_FREE)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .waitDurationInOpenState(r.openDuration())
                .permittedNumberOfCallsInHalfOpenState(3)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordException(StoreFailures::isUnavailable)
                .build();
    }

    private static TimeLimiterConfig limit(Duration timeout) {
        return TimeLimiterConfig.custom().timeoutDuration(timeout).cancelRunningFuture(true).build();
    }

    public <T> Mono<T> redis(Mono<T> call) {
        return guarded(call, redisLimit, redisBreaker);
    }

    public <T> Mono<T> postgres(Mono<T> call) {
        return guarded(call, postgresLimit, postgresBreaker);
    }

    /** For short result lists only: the limit covers the whole stream. */
    public <T> Flux<T> postgres(Flux<T> call) {
        return guarded(call, postgresLimit, postgresBreaker);
    }

    /**
     * A statement of an operator's file import (a chunk of a thousand rows): the same breaker, a
     * longer limit, so a file loaded beside live traffic is not cut off by the per-call limit.
     */
    public <T> Mono<T> postgresBulk(Mono<T> call) {
        return guarded(call, postgresBulkLimit, postgresBreaker);
    }

    public <T> Flux<T> postgresBulk(Flux<T> call) {
        return guarded(call, postgresBulkLimit, postgresBreaker);
    }

    private static <T> Mono<T> guarded(Mono<T> call, TimeLimiter limit, CircuitBreaker breaker) {
        return call.transformDeferred(TimeLimiterOperator.of(limit)).transformDeferred(CircuitBreakerOperator.of(breaker));
    }

    private static <T> Flux<T> guarded(Flux<T> call, TimeLimiter limit, CircuitBreaker breaker) {
        return call.transformDeferred(TimeLimiterOperator.of(limit)).transformDeferred(CircuitBreakerOperator.of(breaker));
    }
}
