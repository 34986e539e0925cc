package jp.otpgateway.gateway.verification;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/** R1 and R7 through the API, with the gateway's clock under the test's control. */
@IntegrationTest
class VerificationIT extends TwoTenantsTest {

    @Autowired
    DatabaseClient db;

    @Test
    void aCodeIsAcceptedOnceAndNeverAgainNorAnOlderOne() {
        String login = alpha.activeUser();
        String code = alpha.code();
        alpha.verify(login, code).expectStatus().isOk().expectBody().jsonPath("$.result").isEqualTo("ACCEPTED");
        alpha.verify(login, code).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.code").isEqualTo("OTP_REPLAYED")
                .jsonPath("$.message").value(m -> assertThat(m.toString()).contains("すでに使用"));
        String older = OtpApi.codeAt(clock.instant().minusSeconds(60));
        alpha.verify(login, older).expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("OTP_REPLAYED");
        clock.advance(Duration.ofSeconds(60));
        alpha.verify(login, alpha.code()).expectStatus().isOk();
    }

    /**
     * Tokens that have learned no drift (each accepted code teaches its offset, and the window then
     * follows it: DriftAndResyncIT), so each side is shown with a user of its own.
     */
    @Test
    void theWindowAcceptsOneStepEitherSideAndNoMore() {
        String late = alpha.activeUser();
        String early = alpha.activeUser();
        Instant base = Instant.ofEpochSecond((clock.instant().getEpochSecond() / 60 + 10) * 60); // a step start
        clock.fix(base.plusSeconds(59)); // last second of step s
        alpha.verify(late, OtpApi.codeAt(base.plusSeconds(60 * 2))).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("OTP_INVALID"); // s+2: outside
        alpha.verify(late, OtpApi.codeAt(base.minusSeconds(60 * 2))).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("OTP_INVALID"); // s-2: outside
        alpha.verify(late, OtpApi.codeAt(base.minusSeconds(60))).expectStatus().isOk(); // s-1: inside
        alpha.verify(early, OtpApi.codeAt(base.plusSeconds(60))).expectStatus().isOk(); // s+1: inside
        alpha.verify(early, OtpApi.codeAt(base)).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.code").isEqualTo("OTP_REPLAYED"); // s: older than s+1
    }

    @Test
    void wrongCodesCountDownAndLockAtTheTenantsLimitThenEvenTheRightCodeIsRefused() {
        String login = alpha.activeUser();
        for (int remaining = 4; remaining >= 0; remaining--) {
            alpha.verify(login, alpha.wrongCode()).expectStatus().isEqualTo(422).expectBody()
                    .jsonPath("$.code").isEqualTo("OTP_INVALID")
                    .jsonPath("$.remainingAttempts").isEqualTo(remaining);
        }
        alpha.verify(login, alpha.code()).expectStatus().isEqualTo(423).expectBody()
                .jsonPath("$.code").isEqualTo("OTP_LOCKED")
                .jsonPath("$.message").value(m -> assertThat(m.toString()).contains("停止"));
        alpha.verify(login, alpha.wrongCode()).expectStatus().isEqualTo(423);
        alpha.status(login).expectBody().jsonPath("$.status").isEqualTo("LOCKED")
                .jsonPath("$.dailyTransferLimit").isEmpty();
        Map<String, Object> row = db.sql("SELECT t.locked, t.failure_count FROM tokens t JOIN assignments a "
                        + "ON a.tenant_id = t.tenant_id AND a.serial = t.serial WHERE a.tenant_id = :t AND a.login_id = :l")
                .bind("t", ALPHA).bind("l", login).fetch().one().block(Duration.ofSeconds(5));
        assertThat(row).containsEntry("locked", true).containsEntry("failure_count", 5);
    }

    @Test
    void aCorrectCodeResetsTheFailures() {
        String login = beta.activeUser(); // beta locks at 3
        beta.verify(login, beta.wrongCode()).expectStatus().isEqualTo(422).expectBody().jsonPath("$.remainingAttempts").isEqualTo(2);
        beta.verify(login, beta.wrongCode()).expectStatus().isEqualTo(422).expectBody().jsonPath("$.remainingAttempts").isEqualTo(1);
        beta.verify(login, beta.code()).expectStatus().isOk();
        beta.verify(login, beta.wrongCode()).expectStatus().isEqualTo(422).expectBody().jsonPath("$.remainingAttempts").isEqualTo(2);
    }

    @Test
    void inputIsReadStrictlyAndTheOperationMustBeTheTenants() {
        String login = alpha.activeUser();
        String fullWidth = alpha.code().chars().mapToObj(c -> String.valueOf((char) ('０' + (c - '0'))))
                .reduce("", String::concat);
        alpha.verify(login, fullWidth).expectStatus().isOk(); // normalizeFullWidthDigits: true (default)
        alpha.verify(login, "1234567a").expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("otp").jsonPath("$.errors[0].code").isEqualTo("INVALID_FORMAT");
        alpha.verify(login, "１２３４５６７٨").expectStatus().isBadRequest();
        alpha.portalPost("/users/{l}/otp/verification", Map.of("otp", alpha.code(), "operation", "PAYROLL"), login)
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("operation");
        alpha.portalPost("/users/{l}/otp/verification", Map.of("operation", "LOGIN"), login)
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].code").isEqualTo("REQUIRED");
    }

    @Test
    void usersWithoutAnActiveTokenAreToldSo() {
        alpha.verify(alpha.user(OtpApi.newContract(), "GENERAL"), "12345678")
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("OTP_NOT_ACTIVE");
        alpha.verify("nobody-" + OtpApi.newContract(), "12345678")
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("USER_NOT_FOUND");
    }

    @Test
    void everyAttemptIsAuditedWithoutTheCode() {
        String login = alpha.activeUser();
        String code = alpha.code();
        alpha.verify(login, code).expectStatus().isOk();
        alpha.verify(login, code).expectStatus().isEqualTo(422);
        alpha.verify(login, alpha.wrongCode()).expectStatus().isEqualTo(422);
        List<Map<String, Object>> events = db.sql("SELECT * FROM audit_events WHERE tenant_id = :t AND login_id = :l "
                        + "ORDER BY event_id").bind("t", ALPHA).bind("l", login).fetch().all().collectList()
                .block(Duration.ofSeconds(5));
        assertThat(events).extracting(e -> e.get("operation") + ":" + e.get("outcome"))
                .containsExactly("ACTIVATION:ACCEPTED", "ACTIVATION:ACTIVATED", "LOGIN:ACCEPTED", "LOGIN:REPLAYED",
                        "LOGIN:INVALID");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("client")).isEqualTo("portal");
            assertThat(e.values().toString()).doesNotContain(code);
        });
    }
}
