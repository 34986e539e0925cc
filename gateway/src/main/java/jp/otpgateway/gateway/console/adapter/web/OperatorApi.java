package jp.otpgateway.gateway.console.adapter.web;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import jp.otpgateway.gateway.console.domain.ConsoleSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The console's only way to the gateway: its own operator API, over HTTP, with the clerk's tenant and
 * operator key. Every check, rule, audit event and Japanese refusal is therefore the API's, and the
 * console holds none of its own (docs/console.md).
 *
 * <p>The API is reached on this instance's own port (loopback) unless {@code otp.console.api-url}
 * names another address (e.g. where TLS is terminated in the gateway itself).
 */
@Component
public class OperatorApi implements ApplicationListener<ReactiveWebServerInitializedEvent>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(OperatorApi.class);


    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final java.util.regex.Pattern VARIABLE = java.util.regex.Pattern.compile("\\{([a-z]+)}");

    private final WebClient http;
    private final ConnectionProvider pool;
    private final String configuredUrl;
    private final AtomicReference<String> base = new AtomicReference<>();

    public OperatorApi(@Value("${otp.console.api-url:}") String configuredUrl) {
        // Its own small pool (the server's resources stay the server's), with an end to every call: a
        // page never waits longer than TIMEOUT for the API. A billing page of 1,000 contracts is
        // about 300 KB of JSON, above the codecs' default 256 KB.
        this.pool = ConnectionProvider.builder("console-api").maxConnections(64)
                .maxIdleTime(Duration.ofSeconds(20)).pendingAcquireTimeout(TIMEOUT).build();
        HttpClient client = HttpClient.create(this.pool).responseTimeout(TIMEOUT);
        this.http = WebClient.builder().clientConnector(new ReactorClientHttpConnector(client))
                .codecs(c -> c.defaultCodecs().maxInMemorySize(4 * 1024 * 1024)).build();
        this.configuredUrl = configuredUrl.isBlank() ? null : configuredUrl.replaceAll("/+$", "");
        this.base.set(this.configuredUrl);
    }

    @Override
    public void destroy() {
        pool.dispose();
    }

    @Override
    public void onApplicationEvent(ReactiveWebServerInitializedEvent event) {
        if (configuredUrl == null && "server".equals(nameOf(event))) {
            base.set("http://127.0.0.1:" + event.getWebServer().getPort());
        }
    }

    private static String nameOf(ReactiveWebServerInitializedEvent event) {
        String ns = event.getApplicationContext().getServerNamespace();
        return ns == null ? "server" : ns;
    }

    /**
     * The API's answer: its status and its JSON body, an object (a problem's members where it
     * refused) or a list.
     */
    public record Answer(int status, Map<String, Object> body, List<Object> list) {

        Answer(int status, Map<String, Object> body) {
            this(status, body, List.of());
        }

        @SuppressWarnings("unchecked")
        static Answer of(int status, Object json) {
            if (json instanceof Map<?, ?> map) {
                return new Answer(status, (Map<String, Object>) map, List.of());
            }
            if (json instanceof List<?> list) {
                return new Answer(status, Map.of(), (List<Object>) list);
            }
            return new Answer(status, Map.of(), List.of());
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The problem's Japanese message, as the API wrote it for people. */
        public String message() {
            Object m = body.get("message");
            if (m instanceof String s && !s.isBlank()) {
                return s;
            }
            return "処理できませんでした（HTTP " + status + "）。";
        }

        /** The messages of the problem's field errors, where it has any. */
        @SuppressWarnings("unchecked")
        public List<String> fieldMessages() {
            if (body.get("errors") instanceof List<?> errors) {
                return errors.stream().filter(Map.class::isInstance)
                        .map(e -> String.valueOf(((Map<String, Object>) e).getOrDefault("message", ""))).toList();
            }
            return List.of();
        }

        public String code() {
            return String.valueOf(body.getOrDefault("code", ""));
        }
    }

    /** A refusal while a download was asked for: the API's problem, to be shown as a page. */
    public static final class Refused extends RuntimeException {
        private final transient Answer answer;

        Refused(Answer answer) {
            super(answer.code(), null, false, false);
            this.answer = answer;
        }

        public Answer answer() {
            return answer;
        }
    }

    /**
     * A path below {@code /v1/tenants/{t}/operator}, e.g. {@code /users/{l}}, with its variables
     * strictly encoded, and query parameters (nulls and blanks left out).
     */
    public record Call(String template, List<Object> vars, Map<String, String> query) {

        public static Call of(String template, Object... vars) {
            return new Call(template, List.of(vars), Map.of());
        }

        public Call with(Map<String, String> query) {
            return new Call(template, vars, query);
        }
    }

    URI uri(ConsoleSession session, Call call) {
        String root = base.get();
        if (root == null) {
            throw new IllegalStateException("the console's API address is not known before the web server has started");
        }
        UriComponentsBuilder b = UriComponentsBuilder.fromUriString(root).path("/v1/tenants/{t}/operator" + call.template());
        Map<String, Object> values = new HashMap<>();
        values.put("t", session.tenantId());
        // the template's own variables, in order: {a}, {b}, …
        java.util.regex.Matcher m = VARIABLE.matcher(call.template());
        int i = 0;
        while (m.find()) {
            values.put(m.group(1), call.vars().get(i++));
        }
        int q = 0;
        for (Map.Entry<String, String> e : new LinkedHashMap<>(call.query()).entrySet()) {
            if (e.getValue() != null && !e.getValue().isBlank()) {
                b.queryParam(e.getKey(), "{q" + q + "}");
                values.put("q" + q++, e.getValue().strip());
            }
        }
        return b.encode().buildAndExpand(values).toUri();
    }

    private WebClient.RequestHeadersSpec<?> authorised(WebClient.RequestHeadersSpec<?> spec, ConsoleSession session) {
        return spec.header(HttpHeaders.AUTHORIZATION, "Bearer " + session.operatorKey());
    }

    public Mono<Answer> get(ConsoleSession session, Call call) {
        return authorised(http.get().uri(uri(session, call)).accept(MediaType.APPLICATION_JSON), session)
                .exchangeToMono(OperatorApi::answer).timeout(TIMEOUT)
                .onErrorResume(e -> Mono.just(unreachable(e, "ただいま照会できません。しばらくしてからもう一度お試しください。")));
    }

    /** The API did not answer (down, or too slow): a page with the reason instead of an error page. */
    private static Answer unreachable(Throwable e, String message) {
        log.warn("console: the operator API did not answer: {}", e.toString());
        return new Answer(503, Map.of("code", "UNAVAILABLE", "message", message));
    }

    /** A state change, with an Idempotency-Key drawn when its confirmation page was shown: a double submit acts once. */
    public Mono<Answer> post(ConsoleSession session, Call call, Map<String, ?> body, String idempotencyKey) {
        return authorised(http.post().uri(uri(session, call)).contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON).header("Idempotency-Key", idempotencyKey).bodyValue(body), session)
                .exchangeToMono(OperatorApi::answer).timeout(TIMEOUT)
                .onErrorResume(e -> Mono.just(unreachable(e, "応答がありませんでした。処理されたかどうかを利用者の画面で確かめてください"
                        + "（この確認画面からもう一度実行しても、二重には処理されません）。")));
    }

    /** A CSV download streamed through as the API writes it; a refusal arrives as {@link Refused}. */
    public Mono<ResponseEntity<Flux<DataBuffer>>> csv(ConsoleSession session, Call call, boolean excel) {
        MediaType csv = MediaType.parseMediaType(excel ? "text/csv;charset=Shift_JIS" : "text/csv;charset=UTF-8");
        return authorised(http.get().uri(uri(session, call)).accept(csv), session)
                .retrieve()
                .onStatus(s -> !s.is2xxSuccessful(), r -> answer(r).map(Refused::new))
                .toEntityFlux(DataBuffer.class).timeout(TIMEOUT)
                .onErrorMap(e -> !(e instanceof Refused), e -> new Refused(unreachable(e,
                        "ただいまファイルを作れません。しばらくしてからもう一度お試しください。")));
    }

    private static Mono<Answer> answer(ClientResponse response) {
        int status = response.statusCode().value();
        boolean json = response.headers().contentType()
                .map(t -> t.isCompatibleWith(MediaType.APPLICATION_JSON) || t.getSubtype().endsWith("+json"))
                .orElse(false);
        if (!json) {
            return response.releaseBody().thenReturn(new Answer(status, Map.of()));
        }
        return response.bodyToMono(Object.class).map(value -> Answer.of(status, value))
                .defaultIfEmpty(new Answer(status, Map.of()));
    }
}
