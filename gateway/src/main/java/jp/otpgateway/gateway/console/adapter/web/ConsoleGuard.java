package jp.otpgateway.gateway.console.adapter.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import jp.otpgateway.gateway.console.domain.ConsoleSession;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Everything under {@code /console}:
 * <ul>
 * <li>security headers on every answer: a Content-Security-Policy that allows no script at all and
 * styles only from the gateway, no framing, no referrer, no caching, no MIME sniffing;</li>
 * <li>every page but the sign-in needs a signed-in clerk, else 303 to the sign-in;</li>
 * <li>every state change (POST) must come from the console's own pages: it carries the session's
 * form token ({@code _csrf}, compared in constant time) and, where the browser says where it came
 * from ({@code Sec-Fetch-Site}, {@code Origin}), comes from the same origin; else 403 and nothing
 * happens.</li>
 * </ul>
 */
@Component
public class ConsoleGuard implements WebFilter, Ordered {

    static final String PREFIX = "/console";
    static final String SIGN_IN = "/console/signin";
    static final String ASSETS = "/console/assets/";
    static final String FORM_TOKEN = "_csrf";
    /** The signed-in clerk, for the controller. */
    static final String CLERK = ConsoleSession.class.getName();

    static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";
    private static final Set<String> SAME_ORIGIN = Set.of("same-origin", "none");

    private final Clock clock;

    public ConsoleGuard(Clock clock) {
        this.clock = clock;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.equals(PREFIX) && !path.startsWith(PREFIX + "/")) {
            return chain.filter(exchange);
        }
        secure(exchange.getResponse().getHeaders());
        if (path.startsWith(ASSETS)) {
            return chain.filter(exchange);
        }
        HttpMethod method = exchange.getRequest().getMethod();
        boolean safe = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
        if (!safe && !fromOwnPages(exchange)) {
            return refuse(exchange);
        }
        if (path.equals(SIGN_IN)) {
            if (safe) {
                return chain.filter(exchange);
            }
            String expected = ConsoleSessions.submittedSignInCookie(exchange);
            return exchange.getFormData().flatMap(form -> ConsoleSession.formTokensMatch(expected, form.getFirst(FORM_TOKEN))
                    ? chain.filter(exchange) : refuse(exchange));
        }
        return ConsoleSessions.signedIn(exchange, clock).flatMap(clerk -> {
            if (clerk.isEmpty()) {
                return redirect(exchange, SIGN_IN + "?expired");
            }
            exchange.getAttributes().put(CLERK, clerk.get());
            if (safe) {
                return chain.filter(exchange);
            }
            return exchange.getFormData().flatMap(form ->
                    clerk.get().formTokenMatches(form.getFirst(FORM_TOKEN)) ? chain.filter(exchange) : refuse(exchange));
        });
    }

    static void secure(HttpHeaders headers) {
        headers.set("Content-Security-Policy", CSP);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    /**
     * A browser's own word on where a form came from: {@code Sec-Fetch-Site} (every current browser
     * sends it), else {@code Origin} against the request's own scheme, host and port.
     */
    static boolean fromOwnPages(ServerWebExchange exchange) {
        HttpHeaders h = exchange.getRequest().getHeaders();
        String site = h.getFirst("Sec-Fetch-Site");
        if (site != null) {
            return SAME_ORIGIN.contains(site);
        }
        String origin = h.getOrigin();
        if (origin == null) {
            return true; // no word from the browser: the form token decides alone
        }
        URI own = exchange.getRequest().getURI();
        URI from = URI.create(origin);
        return own.getScheme().equalsIgnoreCase(from.getScheme()) && own.getHost().equalsIgnoreCase(from.getHost())
                && portOf(own) == portOf(from);
    }

    private static int portOf(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    static Mono<Void> redirect(ServerWebExchange exchange, String to) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.SEE_OTHER);
        response.getHeaders().setLocation(URI.create(to));
        return response.setComplete();
    }

    private static Mono<Void> refuse(ServerWebExchange exchange) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.FORBIDDEN);
        response.getHeaders().setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
        byte[] page = ("<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>受け付けられません</title>"
                + "<link rel=\"stylesheet\" href=\"/console/assets/console.css\"></head><body><main>"
                + "<h1>この操作は受け付けられませんでした</h1>"
                + "<p role=\"alert\">画面の有効期限が切れたか、窓口コンソール以外の画面から送信されました。"
                + "何も変更されていません。</p><p><a href=\"/console/\">窓口コンソールを開き直す</a></p>"
                + "</main></body></html>").getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(page)));
    }

    static Optional<ConsoleSession> clerk(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(CLERK));
    }
}
