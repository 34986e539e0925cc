package jp.otpgateway.gateway.idempotency.adapter.web;

import jp.otpgateway.gateway.shared.adapter.web.ApiException;
import jp.otpgateway.gateway.shared.adapter.web.ApiExceptionHandler;
import jp.otpgateway.gateway.shared.adapter.web.BodySizeLimitFilter;
import jp.otpgateway.gateway.shared.adapter.web.ErrorCode;
import jp.otpgateway.gateway.tenant.adapter.web.ApiKeyFilter;
import jp.otpgateway.gateway.tenant.adapter.web.Caller;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.otpgateway.gateway.idempotency.application.port.IdempotentRequests;
import jp.otpgateway.gateway.config.OtpProperties;
import jp.otpgateway.gateway.shared.domain.FieldViolation;
import jp.otpgateway.gateway.shared.domain.InvalidInput;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import jp.otpgateway.gateway.shared.adapter.web.RequestKeys;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code Idempotency-Key} on every POST (docs/api.md): a retry with the same key, method, path and body
 * gets the first answer (status and body) again, marked {@code Idempotent-Replayed: true}, and
 * nothing acts twice: no double charge of a limit, and a retried verification is not reported as
 * a replay of itself. Keys are scoped to tenant and client and kept for 24 h.
 * <ul>
 * <li>The same key with another request: 409 IDEMPOTENCY_KEY_REUSED.</li>
 * <li>A retry while the first request is still running waits for its answer (up to
 * {@code otp.idempotency.max-wait}, then 409 IDEMPOTENCY_KEY_IN_USE with Retry-After).</li>
 * <li>Answers that changed nothing and invite a retry (429, 5xx such as 503 UNAVAILABLE) are not
 * kept: the key is released so that the retry acts.</li>
 * </ul>
 * The answer is stored before it is sent, so a client that saw it finds it on retry.
 */
@Component
public class IdempotencyFilter implements WebFilter, Ordered {

    static final String HEADER = "Idempotency-Key";
    static final String REPLAYED_HEADER = "Idempotent-Replayed";
    static final int MAX_KEY_LENGTH = 64;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);
    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);

    private final IdempotentRequests store;
    private final ApiExceptionHandler errors;
    private final BodySizeLimitFilter bodyLimits;
    private final OtpProperties.Idempotency settings;
    private final Clock clock;

    public IdempotencyFilter(IdempotentRequests store, ApiExceptionHandler errors, BodySizeLimitFilter bodyLimits,
                             OtpProperties properties, Clock clock) {
        this.store = store;
        this.errors = errors;
        this.bodyLimits = bodyLimits;
        this.settings = properties.idempotency();
        this.clock = clock;
    }

    /** After {@link ApiKeyFilter}: keys belong to an authenticated client of a tenant. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String key = request.getHeaders().getFirst(HEADER);
        Caller caller = exchange.getAttribute(Caller.ATTRIBUTE);
        if (key == null || caller == null || request.getMethod() != HttpMethod.POST) {
            return chain.filter(exchange);
        }
        if (!wellFormed(key)) {
            return Mono.error(new InvalidInput(List.of(new FieldViolation(HEADER, FieldViolation.INVALID_FORMAT,
                    "Idempotency-Key は1〜64文字の半角英数記号で指定してください。"))));
        }
        IdempotentRequests.Key id = new IdempotentRequests.Key(caller.tenant().id(), caller.client().name(), key);
        long maxBytes = bodyLimits.limitFor(request.getPath().pathWithinApplication().value());
        return DataBufferUtils.join(request.getBody(), (int) Math.min(Integer.MAX_VALUE, maxBytes))
                .map(IdempotencyFilter::drain)
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    byte[] fingerprint = fingerprint(request, body);
                    return claim(id, fingerprint).flatMap(claim -> {
                        if (claim instanceof IdempotentRequests.Answered answered) {
                            return replay(exchange, answered.response());
                        }
                        if (claim instanceof IdempotentRequests.Reused) {
                            return Mono.error(new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                                    "this Idempotency-Key was used with a different request"));
                        }
                        exchange.getAttributes().put(RequestKeys.ATTRIBUTE, key);
                        return act(exchange, chain, id, fingerprint, body);
                    });
                });
    }

    static boolean wellFormed(String key) {
        return !key.isEmpty() && key.length() <= MAX_KEY_LENGTH && key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
    }

    /** Claims the key, waiting while a parallel first request is still being answered. */
    private Mono<IdempotentRequests.Claim> claim(IdempotentRequests.Key id, byte[] fingerprint) {
        long polls = Math.max(1, settings.maxWait().toMillis() / POLL_INTERVAL.toMillis());
        return Mono.defer(() -> store.claim(id, fingerprint, clock.instant(), settings.lease(), settings.ttl()))
                .filter(claim -> !(claim instanceof IdempotentRequests.InProgress))
                .repeatWhenEmpty(attempts -> attempts.take(polls).concatMap(n -> Mono.delay(POLL_INTERVAL)))
                .switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.IDEMPOTENCY_KEY_IN_USE,
                        "a request with this Idempotency-Key is still being processed", List.of(),
                        Optional.of(Duration.ofSeconds(1)))));
    }

    private Mono<Void> act(ServerWebExchange exchange, WebFilterChain chain, IdempotentRequests.Key id,
                           byte[] fingerprint, byte[] body) {
        Recorder recorder = new Recorder(exchange.getResponse(), id, fingerprint);
        ServerWebExchange recorded = exchange.mutate().request(new CachedBody(exchange.getRequest(), body))
                .response(recorder).build();
        // Errors are turned into their problem here, inside the filter, so that they are recorded too.
        return chain.filter(recorded)
                .onErrorResume(failure -> errors.handle(recorded, failure))
                .then(Mono.defer(() -> recorder.finish(new byte[0])));
    }

    private static Mono<Void> replay(ServerWebExchange exchange, IdempotentRequests.StoredResponse stored) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatusCode.valueOf(stored.status()));
        if (stored.contentType() != null) {
            response.getHeaders().setContentType(MediaType.parseMediaType(stored.contentType()));
        }
        response.getHeaders().set(REPLAYED_HEADER, "true");
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(stored.body())));
    }

    static byte[] fingerprint(ServerHttpRequest request, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(request.getMethod().name().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
            digest.update(request.getURI().getRawPath().getBytes(StandardCharsets.UTF_8));
            String query = request.getURI().getRawQuery();
            digest.update((byte) '?');
            digest.update((query == null ? "" : query).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
            return digest.digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static byte[] drain(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    /** The request body, read once to fingerprint it, handed to the handler again. */
    private static final class CachedBody extends ServerHttpRequestDecorator {

        private final byte[] body;

        CachedBody(ServerHttpRequest delegate, byte[] body) {
            super(delegate);
            this.body = body;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            return body.length == 0 ? Flux.empty()
                    : Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
        }
    }

    /** Keeps the first answer (or gives the key back) before the answer goes out. */
    private final class Recorder extends ServerHttpResponseDecorator {

        private final IdempotentRequests.Key id;
        private final byte[] fingerprint;
        private final AtomicBoolean finished = new AtomicBoolean();

        Recorder(ServerHttpResponse delegate, IdempotentRequests.Key id, byte[] fingerprint) {
            super(delegate);
            this.id = id;
            this.fingerprint = fingerprint;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            return DataBufferUtils.join(Flux.from(body))
                    .map(IdempotencyFilter::drain)
                    .defaultIfEmpty(new byte[0])
                    .flatMap(bytes -> finish(bytes)
                            .then(super.writeWith(Mono.fromSupplier(() -> bufferFactory().wrap(bytes)))));
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            return writeWith(Flux.from(body).concatMap(Flux::from));
        }

        @Override
        public Mono<Void> setComplete() {
            return finish(new byte[0]).then(super.setComplete());
        }

        Mono<Void> finish(byte[] body) {
            if (!finished.compareAndSet(false, true)) {
                return Mono.empty();
            }
            HttpStatusCode status = getStatusCode() == null ? HttpStatusCode.valueOf(200) : getStatusCode();
            Mono<Void> write = status.is5xxServerError() || status.value() == 429
                    ? store.release(id, fingerprint)
                    : store.complete(id, fingerprint, new IdempotentRequests.StoredResponse(status.value(),
                            getHeaders().getFirst("Content-Type"), body));
            // The request has acted: its answer goes out even if it cannot be kept. A retry after the
            // lease then acts again; the log says so (without the key, which may carry client data).
            return write.onErrorResume(e -> {
                log.warn("could not keep the answer for an Idempotency-Key of tenant {} client {}: {}",
                        id.tenantId(), id.client(), e.toString());
                return Mono.empty();
            });
        }
    }
}
