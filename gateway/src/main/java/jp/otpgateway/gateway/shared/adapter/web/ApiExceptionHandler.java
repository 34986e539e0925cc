package jp.otpgateway.gateway.shared.adapter.web;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreFailures;
import jp.otpgateway.gateway.shared.domain.InvalidInput;
import jp.otpgateway.gateway.shared.domain.KeysDestroyed;
import jp.otpgateway.gateway.shared.domain.KeysUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns every error of the API, including those of the framework (malformed JSON, wrong content
 * type, oversized body, unknown route), into an RFC 9457 problem with a stable code and a Japanese
 * message. A store that cannot be reached is 503 UNAVAILABLE: every decision fails closed.
 * Runs before Spring Boot's own handler (order -1).
 */
@Component
@Order(-2)
public class ApiExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    static final Duration RETRY_AFTER_UNAVAILABLE = Duration.ofSeconds(5);

    private final JsonMapper json;

    public ApiExceptionHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(failure);
        }
        ApiException problem = translate(failure, exchange);
        return write(exchange, problem);
    }

    Mono<Void> write(ServerWebExchange exchange, ApiException problem) {
        var response = exchange.getResponse();
        response.setStatusCode(problem.code().status());
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        problem.retryAfter().ifPresent(d ->
                response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, d.toSeconds()))));
        byte[] body = json.writeValueAsBytes(Problem.of(problem, exchange.getRequest().getPath().value()));
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    private ApiException translate(Throwable failure, ServerWebExchange exchange) {
        if (failure instanceof ApiException api) {
            return api;
        }
        if (failure instanceof InvalidInput invalid) {
            return new ApiException(ErrorCode.VALIDATION_FAILED, "request fields are invalid: "
                    + invalid.violations().stream().map(v -> v.field()).toList(), invalid.violations(), Optional.empty());
        }
        if (StoreFailures.causedBy(failure, DataBufferLimitException.class)) {
            return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "request body exceeds the limit");
        }
        if (StoreFailures.causedBy(failure, KeysDestroyed.class)) {
            return new ApiException(ErrorCode.TENANT_KEYS_DESTROYED, "the tenant's data keys were destroyed");
        }
        if (StoreFailures.causedBy(failure, KeysUnavailable.class)) {
            log.error("seed keys unavailable on {} {}: {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath().value(), rootMessage(failure));
            return new ApiException(ErrorCode.UNAVAILABLE, "the tenant's data keys are not available on this instance now",
                    List.of(), Optional.of(RETRY_AFTER_UNAVAILABLE));
        }
        if (StoreFailures.isUnavailable(failure)) {
            log.error("store unavailable on {} {}: {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath().value(), rootMessage(failure));
            return new ApiException(ErrorCode.UNAVAILABLE, "a backing store is unavailable; nothing was changed",
                    List.of(), Optional.of(RETRY_AFTER_UNAVAILABLE));
        }
        if (failure instanceof UnsupportedMediaTypeStatusException) {
            return new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
        }
        if (failure instanceof MethodNotAllowedException) {
            return new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed on this path");
        }
        if (failure instanceof NotAcceptableStatusException) {
            return new ApiException(ErrorCode.NOT_ACCEPTABLE, "only application/json responses are available");
        }
        if (failure instanceof ServerWebInputException input) {
            String reason = StoreFailures.causedBy(failure, DecodingException.class) ? "request body is not valid JSON for this call"
                    : Optional.ofNullable(input.getReason()).orElse("request is malformed");
            return new ApiException(ErrorCode.VALIDATION_FAILED, reason);
        }
        if (failure instanceof ResponseStatusException status && status.getStatusCode() == HttpStatus.NOT_FOUND) {
            return new ApiException(ErrorCode.NOT_FOUND, "no such path");
        }
        log.error("unexpected failure on {} {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath().value(), failure);
        return new ApiException(ErrorCode.INTERNAL_ERROR, "unexpected error");
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
