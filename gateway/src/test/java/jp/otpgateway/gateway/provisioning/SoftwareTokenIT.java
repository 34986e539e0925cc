package jp.otpgateway.gateway.provisioning;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.Parallel;
import jp.otpgateway.gateway.support.TokenApp;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Software tokens through the HTTP API (R2, R3, R11, R13, R14): issuance, the app's one-time setup,
 * activation with a code computed from the secret the app received, verification, deactivation and
 * the next-day reinstall rule; the setup's attempt limit under parallel guesses and per address.
 */
@IntegrationTest
class SoftwareTokenIT extends TwoTenantsTest {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final String PASSWORD = "4711";
    static final org.springframework.core.ParameterizedTypeReference<Map<String, Object>> STRING_MAP =
            new org.springframework.core.ParameterizedTypeReference<>() {
            };

    @Autowired
    DatabaseClient db;

    record Issued(String login, String serviceId, String appUserId) {
    }

    record Secret(String serial, String secret, Map<String, Object> body) {
    }

    Issued issue(OtpApi api, String login, String password) {
        Map<String, Object> body = api.portalPost("/users/{l}/otp/issuance",
                        Map.of("kind", "SOFTWARE", "email", "mobile-" + login + "@example.jp",
                                "activationPassword", password), login)
                .expectStatus().isCreated().expectBody(STRING_MAP).returnResult().getResponseBody();
        assertThat(body).containsEntry("status", "ISSUED").containsEntry("kind", "SOFTWARE")
                .doesNotContainKey("shipmentId");
        return new Issued(login, (String) body.get("serviceId"), (String) body.get("appUserId"));
    }

    Secret setUp(Issued issued, String password) {
        Map<String, Object> body = TokenApp.setup(http, TokenApp.newAddress(), issued.serviceId(), issued.appUserId(), password)
                .expectStatus().isOk()
                .expectHeader().valueEquals("Cache-Control", "no-store")
                .expectBody(STRING_MAP).returnResult().getResponseBody();
        return new Secret((String) body.get("serial"), (String) body.get("secret"), body);
    }

    WebTestClient.ResponseSpec activateSoftware(OtpApi api, String login, String code) {
        return api.portalPost("/users/{l}/otp/activation", Map.of("otp", code), login);
    }

    @Test
    void theWholeSoftwareFlowFromIssuanceToTheNextDayRule() {
        // 2026-11-21 10:00 JST
        clock.fix(ZonedDateTime.of(2026, 11, 21, 10, 0, 0, 0, TOKYO).toInstant());
        String login = alpha.user(OtpApi.newContract(), "GENERAL");

        Issued issued = issue(alpha, login, PASSWORD);
        assertThat(issued.serviceId()).matches("[0-9]{8}");
        assertThat(issued.appUserId()).matches("[0-9]{12}");
        alpha.status(login).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("ISSUED")
                .jsonPath("$.pending.kind").isEqualTo("SOFTWARE")
                .jsonPath("$.pending.status").isEqualTo("SETUP_PENDING")
                .jsonPath("$.pending.serviceId").isEqualTo(issued.serviceId())
                .jsonPath("$.pending.appUserId").isEqualTo(issued.appUserId());

        // Activation before the app's setup: the user cannot have a code yet.
        activateSoftware(alpha, login, "12345678").expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("NOT_ISSUED");

        Secret app = setUp(issued, PASSWORD);
        assertThat(app.body()).containsEntry("tenantName", "テストalpha信用組合").containsEntry("algorithm", "SHA1")
                .containsEntry("digits", 8).containsEntry("period", 60)
                .containsEntry("startsAt", "2026-11-21T10:00:00+09:00")
                .containsEntry("expiresAt", "2031-11-21T10:00:00+09:00");
        assertThat(app.serial()).matches("[0-9]{10}");
        assertThat(TokenApp.base32(app.secret())).hasSize(20); // 160 bits for SHA1
        URI uri = URI.create((String) app.body().get("otpauthUri"));
        assertThat(uri.getScheme()).isEqualTo("otpauth");
        assertThat(uri.getHost()).isEqualTo("totp");
        assertThat(uri.getPath()).isEqualTo("/テストalpha信用組合:" + app.serial());
        Map<String, String> query = query(uri.getRawQuery());
        assertThat(query).containsEntry("secret", app.secret()).containsEntry("issuer", "テストalpha信用組合")
                .containsEntry("algorithm", "SHA1").containsEntry("digits", "8").containsEntry("period", "60");

        // Once only: the same IDs and password do not give the secret again.
        TokenApp.setup(http, TokenApp.newAddress(), issued.serviceId(), issued.appUserId(), PASSWORD)
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("SETUP_FAILED")
                .jsonPath("$.secret").doesNotExist();
        alpha.status(login).expectBody().jsonPath("$.pending.status").isEqualTo("PROVISIONED");

        // R3: a code computed from the secret activates the token.
        activateSoftware(alpha, login, TokenApp.codeAt(app.secret(), clock.instant())).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("ACTIVE")
                .jsonPath("$.kind").isEqualTo("SOFTWARE")
                .jsonPath("$.serial").isEqualTo(app.serial())
                .jsonPath("$.expiresAt").isEqualTo("2031-11-21T10:00:00+09:00");
        alpha.status(login).expectBody().jsonPath("$.status").isEqualTo("ACTIVE")
                .jsonPath("$.kind").isEqualTo("SOFTWARE").jsonPath("$.pending").doesNotExist();

        // The same verification path as hardware: replay refused, the next step's code accepted.
        alpha.verify(login, TokenApp.codeAt(app.secret(), clock.instant())).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("OTP_REPLAYED");
        clock.advance(Duration.ofSeconds(60));
        alpha.verify(login, TokenApp.codeAt(app.secret(), clock.instant())).expectStatus().isOk();

        // R14: switching to hardware goes through deactivation.
        alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "HARDWARE"), login)
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("KIND_MISMATCH");

        // R11: deactivation (it-alpha asks for a code), then the app may be set up again only tomorrow.
        clock.advance(Duration.ofSeconds(60));
        alpha.portalPost("/users/{l}/otp/deactivation", Map.of("otp", TokenApp.codeAt(app.secret(), clock.instant())),
                login).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UNREGISTERED");
        alpha.status(login).expectBody().jsonPath("$.issuanceAvailableAt").isEqualTo("2026-11-22T00:00:00+09:00");
        clock.fix(ZonedDateTime.of(2026, 11, 21, 23, 59, 59, 0, TOKYO).toInstant());
        alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "SOFTWARE", "email", "m@example.jp",
                        "activationPassword", PASSWORD), login)
                .expectStatus().isEqualTo(409).expectBody()
                .jsonPath("$.code").isEqualTo("ISSUANCE_COOLDOWN")
                .jsonPath("$.issuanceAvailableAt").isEqualTo("2026-11-22T00:00:00+09:00");
        clock.fix(ZonedDateTime.of(2026, 11, 22, 0, 0, 0, 0, TOKYO).toInstant());
        Issued again = issue(alpha, login, "98765432");
        assertThat(again.serviceId()).isNotEqualTo(issued.serviceId());

        // The deactivated token is retired: its code no longer verifies anything.
        assertThat(db.sql("SELECT retired_at IS NOT NULL AS retired FROM tokens WHERE tenant_id = 'it-alpha' AND serial = :s")
                .bind("s", app.serial()).map(row -> row.get("retired", Boolean.class)).one().block()).isTrue();
    }

    @Test
    void aTenantWithoutTheNextDayRuleLetsTheUserReinstallAtOnce() {
        String login = beta.user(OtpApi.newContract(), "GENERAL");
        Issued issued = issue(beta, login, "123456");
        Secret app = setUp(issued, "123456");
        activateSoftware(beta, login, TokenApp.codeAt(app.secret(), clock.instant())).expectStatus().isOk();
        // it-beta: deactivation without a code, reinstallNextDay: false.
        beta.portalPost("/users/{l}/otp/deactivation", Map.of(), login).expectStatus().isOk();
        issue(beta, login, "654321");
    }

    @Test
    void issuanceFieldsAreCheckedAgainstTheTenantsRules() {
        String login = beta.user(OtpApi.newContract(), "GENERAL");
        // it-beta wants 6 to 8 digits.
        beta.portalPost("/users/{l}/otp/issuance", Map.of("kind", "SOFTWARE", "email", "not-a-mail",
                        "activationPassword", "12345"), login)
                .expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("VALIDATION_FAILED")
                .jsonPath("$.errors[0].field").isEqualTo("email")
                .jsonPath("$.errors[1].field").isEqualTo("activationPassword")
                .jsonPath("$.errors[1].message").isEqualTo("利用開始パスワードは半角数字6〜8桁で入力してください。");
        beta.portalPost("/users/{l}/otp/issuance", Map.of("kind", "SOFTWARE"), login)
                .expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors.length()").isEqualTo(2);
        beta.portalPost("/users/{l}/otp/issuance", Map.of("kind", "HARDWARE", "activationPassword", "123456"), login)
                .expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("activationPassword");
        // The branch cannot take a software request: the user chooses the password in the portal.
        beta.operatorPost("/operator/issuances", Map.of("loginId", login, "kind", "SOFTWARE"))
                .expectStatus().isBadRequest();
        // Nothing was written.
        beta.status(login).expectBody().jsonPath("$.status").isEqualTo("UNREGISTERED");
        // The password is never stored in clear.
        Issued issued = issue(beta, login, "24681357");
        String hash = db.sql("SELECT password_hash FROM software_issuances WHERE tenant_id = 'it-beta' AND login_id = :l")
                .bind("l", login).map(row -> row.get("password_hash", String.class)).one().block();
        assertThat(hash).startsWith("pbkdf2-sha256$1000$").doesNotContain("24681357");
        assertThat(issued.serviceId()).isNotBlank();
    }

    @Test
    void aHardwareRequestAndASoftwareIssuanceExcludeEachOtherAndANewSoftwareIssuanceReplacesTheOld() {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        Issued first = issue(alpha, login, PASSWORD);
        alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "HARDWARE"), login)
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("ISSUANCE_PENDING");
        // A lost mail or a new phone before activation: issue again; the first IDs stop working.
        Issued second = issue(alpha, login, PASSWORD);
        TokenApp.setup(http, TokenApp.newAddress(), first.serviceId(), first.appUserId(), PASSWORD)
                .expectStatus().isEqualTo(422);
        Secret app = setUp(second, PASSWORD);
        activateSoftware(alpha, login, TokenApp.codeAt(app.secret(), clock.instant())).expectStatus().isOk();

        String hardwareUser = alpha.user(OtpApi.newContract(), "GENERAL");
        alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "HARDWARE"), hardwareUser).expectStatus().isCreated();
        alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "SOFTWARE", "email", "m@example.jp",
                "activationPassword", PASSWORD), hardwareUser)
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("ISSUANCE_PENDING");
        // Software issuances are not shipments.
        alpha.operatorGet("/operator/shipments?status=REQUESTED").expectStatus().isOk().expectBody()
                .jsonPath("$[?(@.loginId == '" + login + "')]").doesNotExist();
    }

    @Test
    void aUserAwaitingASoftwareTokenKeepsItsContract() {
        String contract = OtpApi.newContract();
        String login = alpha.user(contract, "GENERAL");
        issue(alpha, login, PASSWORD);
        http.put().uri("/v1/tenants/{t}/users/{l}", ALPHA, login)
                .headers(h -> h.setBearerAuth(ALPHA_PORTAL))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("contractId", OtpApi.newContract(), "name", "移動", "role", "GENERAL"))
                .exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("CONTRACT_CHANGE_REFUSED");
    }

    @Test
    void activatingAHardwareTokenEndsAnUnfinishedSoftwareSetup() {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        Issued issued = issue(alpha, login, PASSWORD);
        alpha.activated(login, alpha.token());
        alpha.status(login).expectBody().jsonPath("$.status").isEqualTo("ACTIVE")
                .jsonPath("$.kind").isEqualTo("HARDWARE").jsonPath("$.pending").doesNotExist();
        TokenApp.setup(http, TokenApp.newAddress(), issued.serviceId(), issued.appUserId(), PASSWORD)
                .expectStatus().isEqualTo(422);
    }

    @Test
    void wrongActivationPasswordsVoidTheSetupAfterTheTenantsAttempts() {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        Issued issued = issue(alpha, login, PASSWORD);
        String address = TokenApp.newAddress();
        Map<String, Object> wrong = TokenApp.setup(http, address, issued.serviceId(), issued.appUserId(), "1111")
                .expectStatus().isEqualTo(422).expectBody(STRING_MAP).returnResult().getResponseBody();
        // Unknown IDs answer exactly as a wrong password does: no hint that the IDs exist.
        Map<String, Object> unknown = TokenApp.setup(http, address, "10000000", "100000000000", "1111")
                .expectStatus().isEqualTo(422).expectBody(STRING_MAP).returnResult().getResponseBody();
        assertThat(withoutInstance(unknown)).isEqualTo(withoutInstance(wrong));

        TokenApp.setup(http, address, issued.serviceId(), issued.appUserId(), "2222").expectStatus().isEqualTo(422);
        TokenApp.setup(http, address, issued.serviceId(), issued.appUserId(), "3333").expectStatus().isEqualTo(422);
        // it-alpha: setupAttempts 3. The right password comes too late.
        TokenApp.setup(http, address, issued.serviceId(), issued.appUserId(), PASSWORD).expectStatus().isEqualTo(422);
        alpha.status(login).expectBody().jsonPath("$.status").isEqualTo("UNREGISTERED")
                .jsonPath("$.pending").doesNotExist();
        assertThat(auditOutcomes(login, "PROVISIONING")).containsExactly("WRONG_PASSWORD", "WRONG_PASSWORD", "VOIDED");
        // The user issues again.
        Issued again = issue(alpha, login, PASSWORD);
        setUp(again, PASSWORD);
    }

    @Test
    void parallelGuessesFromManyAddressesGetNoMoreThanTheAttemptsLimit() {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        Issued issued = issue(alpha, login, PASSWORD);
        List<EntityExchangeResult<Map>> results = Parallel.requests(24, i -> TokenApp.setup(http,
                TokenApp.newAddress(), issued.serviceId(), issued.appUserId(), String.format("%04d", 1000 + i)));
        assertThat(Parallel.count(results, 422)).isEqualTo(24);
        assertThat(auditOutcomes(login, "PROVISIONING")).hasSize(3).endsWith("VOIDED");
        Map<String, Object> row = db.sql("SELECT status, attempts, failures FROM software_issuances"
                        + " WHERE tenant_id = 'it-alpha' AND login_id = :l")
                .bind("l", login).fetch().one().block();
        assertThat(row).containsEntry("status", "VOID").containsEntry("attempts", (short) 3)
                .containsEntry("failures", (short) 3);
        TokenApp.setup(http, TokenApp.newAddress(), issued.serviceId(), issued.appUserId(), PASSWORD)
                .expectStatus().isEqualTo(422);
    }

    @Test
    void parallelSetupsWithTheRightPasswordHandTheSecretOutOnce() {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        Issued issued = issue(alpha, login, PASSWORD);
        List<EntityExchangeResult<Map>> results = Parallel.requests(8, i -> TokenApp.setup(http,
                TokenApp.newAddress(), issued.serviceId(), issued.appUserId(), PASSWORD));
        assertThat(Parallel.count(results, 200)).isEqualTo(1);
        assertThat(Parallel.count(results, 422)).isEqualTo(7);
    }

    @Test
    void oneAddressMayStartTenSetupsAMinute() {
        clock.fix(Instant.parse("2026-11-21T01:00:10Z"));
        String address = TokenApp.newAddress();
        for (int i = 0; i < 10; i++) {
            TokenApp.setup(http, address, "10000000", "100000000000", "1234").expectStatus().isEqualTo(422);
        }
        TokenApp.setup(http, address, "10000000", "100000000000", "1234")
                .expectStatus().isEqualTo(429)
                .expectHeader().valueEquals("Retry-After", "51")
                .expectBody().jsonPath("$.code").isEqualTo("RATE_LIMITED");
        // Another address is not held back; the next minute the address may try again.
        TokenApp.setup(http, TokenApp.newAddress(), "10000000", "100000000000", "1234").expectStatus().isEqualTo(422);
        clock.advance(Duration.ofSeconds(50));
        TokenApp.setup(http, address, "10000000", "100000000000", "1234").expectStatus().isEqualTo(422);
        // Malformed input is refused before anything is counted or looked up.
        TokenApp.setup(http, TokenApp.newAddress(), "1234567", "12345678901", "12")
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors.length()").isEqualTo(3);
    }

    @Test
    void aReissueBeforeExpiryNeedsTheCurrentCodeAndItsActivationEndsTheOldToken() {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        Secret old = setUp(issue(alpha, login, PASSWORD), PASSWORD);
        activateSoftware(alpha, login, TokenApp.codeAt(old.secret(), clock.instant())).expectStatus().isOk();
        // Five years minus 80 days later: inside the 90-day reissue window (R13).
        clock.advance(Duration.ofDays(5 * 365 + 1 - 80));
        alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "SOFTWARE", "email", "m@example.jp",
                "activationPassword", PASSWORD), login)
                .expectStatus().isEqualTo(428).expectBody().jsonPath("$.code").isEqualTo("OTP_REQUIRED");
        Map<String, Object> reissued = alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "SOFTWARE", "email",
                        "m@example.jp", "activationPassword", PASSWORD, "otp", TokenApp.codeAt(old.secret(), clock.instant())),
                        login)
                .expectStatus().isCreated().expectBody(STRING_MAP).returnResult().getResponseBody();
        assertThat(reissued).containsEntry("reissue", true);
        Secret fresh = setUp(new Issued(login, (String) reissued.get("serviceId"), (String) reissued.get("appUserId")),
                PASSWORD);
        // The old token keeps working until the new one is activated.
        clock.advance(Duration.ofSeconds(60));
        alpha.verify(login, TokenApp.codeAt(old.secret(), clock.instant())).expectStatus().isOk();
        activateSoftware(alpha, login, TokenApp.codeAt(fresh.secret(), clock.instant())).expectStatus().isOk()
                .expectBody().jsonPath("$.serial").isEqualTo(fresh.serial());
        clock.advance(Duration.ofSeconds(60));
        alpha.verify(login, TokenApp.codeAt(old.secret(), clock.instant())).expectStatus().isEqualTo(422);
        alpha.verify(login, TokenApp.codeAt(fresh.secret(), clock.instant())).expectStatus().isOk();
    }

    private List<String> auditOutcomes(String login, String operation) {
        return db.sql("SELECT outcome FROM audit_events WHERE tenant_id = 'it-alpha' AND login_id = :l"
                        + " AND operation = :o ORDER BY event_id")
                .bind("l", login).bind("o", operation).map(row -> row.get("outcome", String.class)).all()
                .collectList().block();
    }

    private static Map<String, Object> withoutInstance(Map<String, Object> problem) {
        Map<String, Object> copy = new HashMap<>(problem);
        copy.remove("instance");
        return copy;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        Arrays.stream(raw.split("&")).map(p -> p.split("=", 2))
                .forEach(kv -> out.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8)));
        return out;
    }
}
