package jp.otpgateway.gateway.console.adapter.web;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import jp.otpgateway.gateway.console.domain.ConsoleSession;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.InMemoryWebSessionStore;
import org.springframework.web.server.session.WebSessionManager;
import reactor.core.publisher.Mono;

/**
 * Where a signed-in clerk is kept: in this instance's memory, found by a cookie that holds only a
 * random session ID ({@code OTP_CONSOLE}: HttpOnly, SameSite=Strict, Secure unless
 * {@code otp.console.secure-cookie} is false, path {@code /console}). The operator key never leaves
 * the server. Behind a balancer the console needs sticky sessions on that cookie (docs/console.md);
 * the API itself needs none.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleSessions {

    static final String COOKIE = "OTP_CONSOLE";
    static final String SIGNED_IN = "console.session";
    /** The form token of a session that is not signed in yet: the sign-in form is protected too. */
    /**
     * The sign-in form's token lives in a cookie of its own, echoed by the form (double submit): no
     * session exists before a sign-in, so strangers opening the sign-in page cannot fill the
     * session store.
     */
    static final String SIGN_IN_COOKIE = "OTP_CONSOLE_SIGNIN";
    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{32}");

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The application's session manager (Spring looks it up by this name); the API never starts a session. */
    @Bean(name = "webSessionManager")
    WebSessionManager webSessionManager(@Value("${otp.console.secure-cookie:true}") boolean secure, Clock clock) {
        CookieWebSessionIdResolver cookies = new CookieWebSessionIdResolver();
        cookies.setCookieName(COOKIE);
        cookies.setCookieMaxAge(Duration.ofSeconds(-1));
        cookies.addCookieInitializer(b -> b.path("/console").httpOnly(true).secure(secure).sameSite("Strict"));
        InMemoryWebSessionStore store = new InMemoryWebSessionStore();
        store.setMaxSessions(10_000);
        store.setClock(clock); // idle sessions end by the gateway's clock (tests move it)
        DefaultWebSessionManager manager = new DefaultWebSessionManager();
        manager.setSessionIdResolver(cookies);
        manager.setSessionStore(store);
        return manager;
    }

    static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The clerk signed in to this exchange's session, if any and not past its absolute end. */
    static Mono<Optional<ConsoleSession>> signedIn(ServerWebExchange exchange, Clock clock) {
        return exchange.getSession().map(s -> {
            ConsoleSession c = s.getAttribute(SIGNED_IN);
            return c == null || c.expired(clock.instant()) ? Optional.<ConsoleSession>empty() : Optional.of(c);
        });
    }

    /** The sign-in form's token for this browser: its cookie's, or a new one set as that cookie. */
    static String signInToken(ServerWebExchange exchange, boolean secure) {
        String known = submittedSignInCookie(exchange);
        if (known != null) {
            return known;
        }
        String token = randomToken();
        exchange.getResponse().addCookie(ResponseCookie.from(SIGN_IN_COOKIE, token).path("/console/signin")
                .httpOnly(true).secure(secure).sameSite("Strict").build());
        return token;
    }

    /** The sign-in cookie the browser sent, if it is one the console could have made. */
    static String submittedSignInCookie(ServerWebExchange exchange) {
        HttpCookie cookie = exchange.getRequest().getCookies().getFirst(SIGN_IN_COOKIE);
        return cookie != null && TOKEN.matcher(cookie.getValue()).matches() ? cookie.getValue() : null;
    }

    /** Signs the clerk in: a new session ID (no fixation), a new form token, the idle limit. */
    static Mono<ConsoleSession> signIn(WebSession session, String tenant, String staff, String key, Clock clock) {
        ConsoleSession signed = new ConsoleSession(tenant, staff, key, randomToken(), clock.instant());
        return session.changeSessionId().then(Mono.fromSupplier(() -> {
            session.setMaxIdleTime(ConsoleSession.IDLE);
            session.getAttributes().put(SIGNED_IN, signed);
            return signed;
        }));
    }
}
