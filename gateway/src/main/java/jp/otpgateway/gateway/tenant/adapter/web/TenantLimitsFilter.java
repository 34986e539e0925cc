package jp.otpgateway.gateway.tenant.adapter.web;

import jp.otpgateway.gateway.idempotency.adapter.web.IdempotencyFilter;
import jp.otpgateway.gateway.shared.adapter.web.ApiException;
import jp.otpgateway.gateway.shared.adapter.web.ErrorCode;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.tenant.adapter.resilience.TenantLimits;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Every authenticated call of a tenant runs within that tenant's rate limit and bulkhead; over
 * either: 429 RATE_LIMITED with Retry-After, before anything is read or written (an Idempotency-Key
 * is not even claimed). Counted as {@code otp.rejections{tenant, reason}}.
 */
@Component
public class TenantLimitsFilter implements WebFilter, Ordered {

    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final TenantLimits limits;
    private final MeterRegistry meters;

    public TenantLimitsFilter(TenantLimits limits, MeterRegistry meters) {
        this.limits = limits;
        this.meters = meters;
    }

    /** After {@link ApiKeyFilter} (it names the tenant), before {@link IdempotencyFilter}. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 15;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Caller caller = exchange.getAttribute(Caller.ATTRIBUTE);
        if (caller == null) {
            return chain.filter(exchange);
        }
        String tenant = caller.tenant().id();
        return limits.within(caller.tenant(), chain.filter(exchange))
                .onErrorMap(RequestNotPermitted.class, e -> refused(tenant, "RATE",
                        "tenant " + tenant + " is over its limits.requestsPerSecond"))
                .onErrorMap(BulkheadFullException.class, e -> refused(tenant, "CONCURRENCY",
                        "tenant " + tenant + " is over its limits.concurrentRequests"));
    }

    private ApiException refused(String tenant, String reason, String detail) {
        meters.counter("otp.rejections", "tenant", tenant, "reason", reason).increment();
        return new ApiException(ErrorCode.RATE_LIMITED, detail, List.of(), Optional.of(RETRY_AFTER));
    }
}
