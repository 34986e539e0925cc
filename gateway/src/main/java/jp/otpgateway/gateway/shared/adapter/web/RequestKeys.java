package jp.otpgateway.gateway.shared.adapter.web;

import java.util.Optional;
import org.springframework.web.server.ServerWebExchange;

/**
 * The {@code Idempotency-Key} of the request being acted on, put on the exchange by the idempotency
 * filter once it holds the key's claim. A use case that writes a durable record of its act keeps the
 * key with it, so that a retry which took over the claim of an instance that died after acting finds
 * that act instead of acting again (the transactions' charge: R10).
 */
public final class RequestKeys {

    public static final String ATTRIBUTE = RequestKeys.class.getName();

    private RequestKeys() {
    }

    public static Optional<String> of(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
    }
}
