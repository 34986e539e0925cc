package jp.otpgateway.gateway.shared.adapter.web;

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
    private final long maxImportBytes;

    public BodySizeLimitFilter(long maxBytes, long maxImportBytes) {
        this.maxBytes = maxBytes;
        this.maxImportBytes = maxImportBytes;
    }

    /** Token delivery files are streamed, not buffered: they get their own, larger limit. */
    public long limitFor(String path) {
        return path.endsWith("/operator/hardware-tokens") || path.endsWith("/operator/migrations")
                ? maxImportBytes : maxBytes;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long length = exchange.getRequest().getHeaders().getContentLength();
        long limit = limitFor(exchange.getRequest().getPath().pathWithinApplication().value());
        if (length > limit) {
            return Mono.error(new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "request body of " + length + " bytes exceeds the limit of " + limit + " bytes"));
        }
        return chain.filter(exchange);
    }
}
