package jp.otpgateway.gateway.adapter.web;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses a declared body over the limit before reading any of it (413). Bodies without a length
 * (chunked) are bounded by the codecs' max-in-memory-size, set to the same limit.
 */
public class BodySizeLimitFilter implements WebFilter, Ordered {

    private final long maxBytes;

    public BodySizeLimitFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long length = exchange.getRequest().getHeaders().getContentLength();
        if (length > maxBytes) {
            return Mono.error(new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "request body of " + length + " bytes exceeds the limit of " + maxBytes + " bytes"));
        }
        return chain.filter(exchange);
    }
}
