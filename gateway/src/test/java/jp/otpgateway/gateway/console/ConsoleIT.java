package jp.otpgateway.gateway.console;

import static jp.otpgateway.gateway.support.IntegrationTest.IOTA;
import static jp.otpgateway.gateway.support.IntegrationTest.IOTA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.IOTA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * The console's protections at the HTTP level, against the real gateway (PostgreSQL, Redis): the
 * sign-in, its cookie and its throttle, the form token on every state change, the browser's word
 * on where a form came from, the headers, the escaping, and that the operator key appears in no
 * answer. The flows in a real browser are ConsoleBrowserIT's.
 */
@IntegrationTest
class ConsoleIT extends TwoTenantsTest {

    static final Pattern FORM_TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    static final String CLERK = "clerk-0101";

    OtpApi iota;
    /** Each test signs in from an address of its own (X-Forwarded-For), so the throttle of one does not touch another. */
    String address;

    @BeforeEach
    void iotaTenant() {
        iota = new OtpApi(http, IOTA, IOTA_PORTAL, IOTA_OPERATOR, clock);
        address = "198.51.100." + (1 + (int) (Math.random() * 250));
    }

    record Browser(String cookie, String formToken) {
    }

    static String formToken(String html) {
        Matcher m = FORM_TOKEN.matcher(html);
        assertThat(m.find()).as("a form token in the page").isTrue();
        return m.group(1);
    }

    static String cookieOf(EntityExchangeResult<?> result) {
        ResponseCookie c = result.getResponseCookies().getFirst("OTP_CONSOLE");
        return c == null ? null : c.getValue();
    }

    /** The sign-in page: its own cookie (no session yet) and the sign-in form's token. */
    Browser signInPage() {
        EntityExchangeResult<String> page = http.get().uri("/console/signin").header("X-Forwarded-For", address)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult();
        assertThat(cookieOf(page)).as("no session before a sign-in").isNull();
        ResponseCookie signIn = page.getResponseCookies().getFirst("OTP_CONSOLE_SIGNIN");
        assertThat(signIn).isNotNull();
        return new Browser(signIn.getValue(), formToken(page.getResponseBody()));
    }

    EntityExchangeResult<String> submitSignIn(Browser b, String tenant, String staff, String key) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("_csrf", b.formToken());
        form.add("tenantId", tenant);
        form.add("staffId", staff);
        form.add("operatorKey", key);
        return http.post().uri("/console/signin").header("X-Forwarded-For", address)
                .cookie("OTP_CONSOLE_SIGNIN", b.cookie()).cookie("OTP_CONSOLE", "planted-session-id")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(BodyInserters.fromFormData(form))
                .exchange().expectBody(String.class).returnResult();
    }

    /** Signed in: the new session's cookie and the form token of its pages. */
    Browser signedIn() {
        EntityExchangeResult<String> done = submitSignIn(signInPage(), IOTA, CLERK, IOTA_OPERATOR);
        assertThat(done.getStatus().value()).isEqualTo(303);
        String cookie = cookieOf(done);
        String home = http.get().uri("/console/").cookie("OTP_CONSOLE", cookie).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return new Browser(cookie, formToken(home));
    }

    EntityExchangeResult<String> post(Browser b, String path, Map<String, String> fields, String... headers) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        fields.forEach(form::add);
        return http.post().uri(path).cookie("OTP_CONSOLE", b.cookie()).headers(h -> {
                    for (int i = 0; i < headers.length; i += 2) {
                        h.set(headers[i], headers[i + 1]);
                    }
                }).contentType(MediaType.APPLICATION_FORM_URLENCODED).body(BodyInserters.fromFormData(form))
                .exchange().expectBody(String.class).returnResult();
    }

    String lockedUser() {
        String login = iota.activeUser();
        for (int i = 0; i < 5; i++) {
            iota.verify(login, iota.wrongCode());
        }
        iota.status(login).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("LOCKED");
        return login;
    }

    @Test
    void everyPageButTheSignInSendsAStrangerToTheSignIn() {
        http.get().uri("/console/users?loginId=x").exchange().expectStatus().isSeeOther()
                .expectHeader().valueEquals(HttpHeaders.LOCATION, "/console/signin?expired");
        http.get().uri("/console/audit.csv").exchange().expectStatus().isSeeOther();
        http.get().uri("/console/").exchange().expectStatus().isSeeOther();
    }

    @Test
    void everyAnswerForbidsScriptsFramingCachingAndSniffing() {
        http.get().uri("/console/signin").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("Content-Security-Policy", "default-src 'none'; style-src 'self'; "
                        + "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                .expectBody(String.class).value(html -> assertThat(html).doesNotContain("<script").doesNotContain("style=\""));
        http.get().uri("/console/assets/console.css").exchange().expectStatus().isOk()
                .expectHeader().valueEquals("Content-Security-Policy", "default-src 'none'; style-src 'self'; "
                        + "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    }

    @Test
    void aSignInGetsANewHttpOnlyStrictSessionCookieAndTheKeyAppearsNowhere() {
        Browser before = signInPage();
        EntityExchangeResult<String> done = submitSignIn(before, IOTA, CLERK, IOTA_OPERATOR);
        assertThat(done.getStatus().value()).isEqualTo(303);
        assertThat(done.getResponseHeaders().getLocation()).hasToString("/console/");
        ResponseCookie cookie = done.getResponseCookies().getFirst("OTP_CONSOLE");
        assertThat(cookie).isNotNull();
        assertThat(cookie.getValue()).as("a session ID of the gateway's own, never one the browser brought (no fixation)")
                .isNotEqualTo("planted-session-id");
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.isSecure()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Strict");
        assertThat(cookie.getPath()).isEqualTo("/console");
        assertThat(cookie.getMaxAge().isNegative()).as("a session cookie: gone with the browser").isTrue();
        String login = iota.activeUser();
        for (String page : new String[] {"/console/", "/console/users?loginId=" + login, "/console/audit",
                "/console/billing", "/console/shipments", "/console/token-lists?state=LOCKED"}) {
            String html = http.get().uri(page).cookie("OTP_CONSOLE", cookie.getValue()).exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(html).as(page).doesNotContain(IOTA_OPERATOR).contains(CLERK);
        }
        http.get().uri("/console/").cookie("OTP_CONSOLE", "planted-session-id").exchange().expectStatus().isSeeOther();
    }

    @Test
    void strangersOpeningTheSignInPageStartNoSessionAndItsCookieIsStrict() {
        for (int i = 0; i < 3; i++) {
            EntityExchangeResult<String> page = http.get().uri("/console/signin").exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult();
            assertThat(cookieOf(page)).isNull();
            ResponseCookie signIn = page.getResponseCookies().getFirst("OTP_CONSOLE_SIGNIN");
            assertThat(signIn.isHttpOnly()).isTrue();
            assertThat(signIn.getSameSite()).isEqualTo("Strict");
            assertThat(signIn.getPath()).isEqualTo("/console/signin");
            assertThat(formToken(page.getResponseBody())).isEqualTo(signIn.getValue());
        }
    }

    @Test
    void aWrongKeyIsRefusedWithoutSayingWhichPartWasWrongAndFiveOfThemBlockTheAddress() {
        clock.advance(Duration.ofDays(-1)); // the block ends by real time, not in later tests
        for (String[] wrong : new String[][] {{IOTA, "not-the-operator-key"}, {"it-nowhere", IOTA_OPERATOR},
                {IOTA, IOTA_PORTAL}}) {
            EntityExchangeResult<String> refused = submitSignIn(signInPage(), wrong[0], CLERK, wrong[1]);
            assertThat(refused.getStatus().value()).isEqualTo(401);
            assertThat(refused.getResponseBody()).contains("組合ID、オペレーターキーのいずれかが正しくありません");
        }
        assertThat(submitSignIn(signInPage(), IOTA, "窓口 一郎", IOTA_OPERATOR).getStatus().value()).isEqualTo(400);
        assertThat(submitSignIn(signInPage(), IOTA, CLERK, IOTA_OPERATOR).getStatus().value())
                .as("a right key in between signs in, and wipes none of the wrong ones").isEqualTo(303);
        submitSignIn(signInPage(), IOTA, CLERK, "still-not-the-key");
        submitSignIn(signInPage(), IOTA, CLERK, "still-not-the-key-2");
        EntityExchangeResult<String> blocked = submitSignIn(signInPage(), IOTA, CLERK, IOTA_OPERATOR);
        assertThat(blocked.getStatus().value()).as("even the right key, from that address").isEqualTo(429);
        assertThat(blocked.getResponseBody()).contains("しばらくサインインできません");
        address = "203.0.113.77";
        assertThat(submitSignIn(signInPage(), IOTA, CLERK, IOTA_OPERATOR).getStatus().value()).isEqualTo(303);
    }

    @Test
    void aSignInWithoutTheSignInFormsTokenIsRefused() {
        Browser page = signInPage();
        EntityExchangeResult<String> forged = submitSignIn(new Browser(page.cookie(), "forged"), IOTA, CLERK, IOTA_OPERATOR);
        assertThat(forged.getStatus().value()).isEqualTo(403);
        assertThat(cookieOf(forged)).isNull();
        EntityExchangeResult<String> noCookie = submitSignIn(new Browser("x", page.formToken()), IOTA, CLERK, IOTA_OPERATOR);
        assertThat(noCookie.getStatus().value()).as("the form's token without its cookie").isEqualTo(403);
    }

    @Test
    void aStateChangeWithoutTheFormTokenOrFromAnotherSiteChangesNothing() {
        Browser clerk = signedIn();
        String login = lockedUser();
        String unlock = "/console/users/" + login + "/actions/unlock";
        String idem = UUID.randomUUID().toString();
        assertThat(post(clerk, unlock, Map.of("idem", idem)).getStatus().value()).isEqualTo(403);
        assertThat(post(clerk, unlock, Map.of("idem", idem, "_csrf", "wrong")).getStatus().value()).isEqualTo(403);
        assertThat(post(clerk, unlock, Map.of("idem", idem, "_csrf", clerk.formToken()), "Sec-Fetch-Site", "cross-site")
                .getStatus().value()).isEqualTo(403);
        assertThat(post(clerk, unlock, Map.of("idem", idem, "_csrf", clerk.formToken()), "Origin", "http://evil.example")
                .getStatus().value()).isEqualTo(403);
        iota.status(login).expectBody().jsonPath("$.status").isEqualTo("LOCKED");

        EntityExchangeResult<String> done = post(clerk, unlock, Map.of("idem", idem, "_csrf", clerk.formToken()),
                "Sec-Fetch-Site", "same-origin");
        assertThat(done.getStatus().value()).isEqualTo(303);
        assertThat(done.getResponseHeaders().getLocation().toString()).endsWith("&done=unlock");
        iota.status(login).expectBody().jsonPath("$.status").isEqualTo("ACTIVE");
        // the same confirmation page submitted twice acts once: the API answers the first answer again
        assertThat(post(clerk, unlock, Map.of("idem", idem, "_csrf", clerk.formToken())).getStatus().value()).isEqualTo(303);
        http.get().uri("/v1/tenants/{t}/operator/audit?loginId={l}&operation=UNLOCK", IOTA, login)
                .headers(h -> h.setBearerAuth(IOTA_OPERATOR)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1).jsonPath("$.items[0].staffId").isEqualTo(CLERK);
    }

    @Test
    void aUsersNameIsTextNeverMarkup() {
        Browser clerk = signedIn();
        String login = "u-" + UUID.randomUUID().toString().substring(0, 13);
        http.put().uri("/v1/tenants/{t}/users/{l}", IOTA, login).headers(h -> h.setBearerAuth(IOTA_PORTAL))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("contractId", OtpApi.newContract(), "name", "<script>alert(1)</script>\"'&", "role", "GENERAL"))
                .exchange().expectStatus().isCreated();
        String html = http.get().uri("/console/users?loginId={l}", login).cookie("OTP_CONSOLE", clerk.cookie())
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;");
    }

    @Test
    void aRefusalShowsTheApisJapaneseMessageAndTheCodesEnteredAreNotShownAgain() {
        Browser clerk = signedIn();
        String login = iota.activeUser();
        String serial = (String) http.get().uri("/v1/tenants/{t}/operator/users/{l}", IOTA, login)
                .headers(h -> h.setBearerAuth(IOTA_OPERATOR)).exchange().expectBody(Map.class).returnResult()
                .getResponseBody().get("serial");
        EntityExchangeResult<String> refused = post(clerk, "/console/users/" + login + "/actions/resync",
                Map.of("_csrf", clerk.formToken(), "idem", UUID.randomUUID().toString(), "serial", serial,
                        "otp1", "12345678", "otp2", "87654321"));
        assertThat(refused.getStatus().value()).isBetween(400, 499);
        assertThat(refused.getResponseBody()).contains("role=\"alert\"").doesNotContain("12345678").doesNotContain("87654321");
        // a reissue for a user whose token was not reported lost: the API's own words
        EntityExchangeResult<String> notLost = post(clerk, "/console/users/" + login + "/actions/reissue",
                Map.of("_csrf", clerk.formToken(), "idem", UUID.randomUUID().toString()));
        assertThat(notLost.getStatus().value()).isEqualTo(409);
        String message = (String) http.post().uri("/v1/tenants/{t}/operator/reissues", IOTA)
                .headers(h -> h.setBearerAuth(IOTA_OPERATOR)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("loginId", login, "staffId", CLERK)).exchange().expectBody(Map.class).returnResult()
                .getResponseBody().get("message");
        assertThat(notLost.getResponseBody()).contains(message);
    }

    @Test
    void signingOutEndsTheSession() {
        Browser clerk = signedIn();
        EntityExchangeResult<String> out = post(clerk, "/console/signout", Map.of("_csrf", clerk.formToken()));
        assertThat(out.getStatus().value()).isEqualTo(303);
        http.get().uri("/console/").cookie("OTP_CONSOLE", clerk.cookie()).exchange().expectStatus().isSeeOther();
    }

    @Test
    void aSessionEndsAfterFifteenIdleMinutesAndEightHoursAfterSignIn() {
        Browser idle = signedIn();
        clock.advance(Duration.ofMinutes(14));
        http.get().uri("/console/").cookie("OTP_CONSOLE", idle.cookie()).exchange().expectStatus().isOk();
        clock.advance(Duration.ofMinutes(14)); // 14 idle minutes again: still in
        http.get().uri("/console/").cookie("OTP_CONSOLE", idle.cookie()).exchange().expectStatus().isOk();
        clock.advance(Duration.ofMinutes(16));
        http.get().uri("/console/").cookie("OTP_CONSOLE", idle.cookie()).exchange().expectStatus().isSeeOther();

        Browser busy = signedIn();
        for (int i = 0; i < 8 * 6; i++) { // a request every 10 minutes for 8 hours
            clock.advance(Duration.ofMinutes(10));
            int status = http.get().uri("/console/").cookie("OTP_CONSOLE", busy.cookie()).exchange()
                    .returnResult(String.class).getStatus().value();
            assertThat(status).as("after %d minutes", (i + 1) * 10).isEqualTo(i + 1 < 48 ? 200 : 303);
        }
    }
}
