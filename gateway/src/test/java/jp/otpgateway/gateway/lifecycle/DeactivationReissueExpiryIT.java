package jp.otpgateway.gateway.lifecycle;

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

/**
 * A token's end of life through the API: deactivation by the user (R11, also of a shared token),
 * reissue within the window (R13) and expiry, against the real PostgreSQL and Redis.
 */
@IntegrationTest
class DeactivationReissueExpiryIT extends TwoTenantsTest {

    @Autowired
    DatabaseClient db;

    @Test
    void deactivationNeedsTheCodeEndsOtpAndBarsTheUserFromThatToken() {
        String contract = OtpApi.newContract();
        String login = alpha.user(contract, "GENERAL");
        String serial = alpha.token();
        alpha.activated(login, serial);
        clock.advance(Duration.ofSeconds(60));

        alpha.portalPost("/users/{l}/otp/deactivation", Map.of(), login)
                .expectStatus().isEqualTo(428).expectBody().jsonPath("$.code").isEqualTo("OTP_REQUIRED");
        alpha.portalPost("/users/{l}/otp/deactivation", Map.of("otp", alpha.code()), login)
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UNREGISTERED");
        alpha.status(login).expectBody().jsonPath("$.status").isEqualTo("UNREGISTERED")
                .jsonPath("$.dailyTransferLimit").isEqualTo(200000);
        alpha.verify(login, alpha.code()).expectStatus().isEqualTo(409);

        clock.advance(Duration.ofSeconds(60));
        alpha.activate(login, serial, alpha.code())
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("TOKEN_RETIRED");
        alpha.activate(alpha.user(contract, "GENERAL"), serial, alpha.code())
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("TOKEN_RETIRED");
    }

    @Test
    void aSharedTokenIsRetiredOnlyWhenItsLastUserLeaves() {
        String contract = OtpApi.newContract();
        String first = beta.user(contract, "MASTER");
        String second = alpha.user(contract, "GENERAL");
        String serial = alpha.token();
        String a = alpha.user(contract, "ADMIN");
        alpha.activated(a, serial);
        clock.advance(Duration.ofSeconds(60));
        alpha.activated(second, serial);
        clock.advance(Duration.ofSeconds(60));
        alpha.portalPost("/users/{l}/otp/deactivation", Map.of("otp", alpha.code()), a).expectStatus().isOk();
        clock.advance(Duration.ofSeconds(60));
        alpha.verify(second, alpha.code()).expectStatus().isOk();
        clock.advance(Duration.ofSeconds(60));
        alpha.activate(a, serial, alpha.code()).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("TOKEN_RETIRED");
        alpha.portalPost("/users/{l}/otp/deactivation", Map.of("otp", alpha.code()), second).expectStatus().isOk();
        Boolean retired = db.sql("SELECT retired_at IS NOT NULL AS r FROM tokens WHERE tenant_id = :t AND serial = :s")
                .bind("t", ALPHA).bind("s", serial).map(r -> r.get("r", Boolean.class)).one().block(Duration.ofSeconds(5));
        assertThat(retired).isTrue();
        assertThat(first).isNotBlank();
    }

    @Test
    void aTenantMayLetUsersDeactivateWithoutACode() {
        String login = beta.activeUser();
        beta.portalPost("/users/{l}/otp/deactivation", Map.of(), login)
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UNREGISTERED");
    }

    @Test
    void reissueOpensNinetyDaysBeforeExpiryNeedsTheCodeAndTheNewTokenEndsTheOld() {
        String contract = OtpApi.newContract();
        String login = alpha.user(contract, "GENERAL");
        Instant expiry = clock.instant().plus(Duration.ofDays(100)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String old = alpha.token(expiry);
        alpha.activated(login, old);

        alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "HARDWARE"), login)
                .expectStatus().isEqualTo(409).expectBody()
                .jsonPath("$.code").isEqualTo("REISSUE_NOT_YET")
                .jsonPath("$.reissueAvailableFrom").isNotEmpty();
        clock.fix(expiry.minus(Duration.ofDays(90)).minusSeconds(1));
        alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "HARDWARE"), login)
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("REISSUE_NOT_YET");
        clock.fix(expiry.minus(Duration.ofDays(90)));
        alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "HARDWARE"), login)
                .expectStatus().isEqualTo(428).expectBody().jsonPath("$.code").isEqualTo("OTP_REQUIRED");
        Number id = (Number) alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "HARDWARE", "otp", alpha.code()), login)
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("shipmentId");
        alpha.status(login).expectBody().jsonPath("$.status").isEqualTo("ACTIVE")
                .jsonPath("$.pending.status").isEqualTo("REQUESTED");

        String fresh = alpha.token(expiry.plus(Duration.ofDays(5 * 365)));
        alpha.operatorPost("/operator/shipments/{id}", Map.of("serial", fresh), id).expectStatus().isOk();
        clock.advance(Duration.ofSeconds(60));
        alpha.verify(login, alpha.code()).expectStatus().isOk(); // the old token keeps working
        clock.advance(Duration.ofSeconds(60));
        alpha.activate(login, fresh, alpha.code()).expectStatus().isOk();
        alpha.status(login).expectBody().jsonPath("$.serial").isEqualTo(fresh).jsonPath("$.pending").doesNotExist();
        Boolean oldRetired = db.sql("SELECT retired_at IS NOT NULL AS r FROM tokens WHERE tenant_id = :t AND serial = :s")
                .bind("t", ALPHA).bind("s", old).map(r -> r.get("r", Boolean.class)).one().block(Duration.ofSeconds(5));
        assertThat(oldRetired).isTrue();
    }

    @Test
    void anExpiredTokenVerifiesNoMoreAndIsListedBeforeItExpires() {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        Instant expiry = clock.instant().plus(Duration.ofDays(20)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String serial = alpha.token(expiry);
        alpha.activated(login, serial);

        List<?> soon = alpha.operatorGet("/operator/expiring-tokens?days=30").expectStatus().isOk()
                .expectBody(List.class).returnResult().getResponseBody();
        assertThat(soon).anySatisfy(t -> {
            Map<?, ?> token = (Map<?, ?>) t;
            assertThat(token.get("serial")).isEqualTo(serial);
            assertThat(token.get("users")).isEqualTo(List.of(login));
        });
        List<?> later = alpha.operatorGet("/operator/expiring-tokens?days=10").expectStatus().isOk()
                .expectBody(List.class).returnResult().getResponseBody();
        assertThat(later).noneSatisfy(t -> assertThat(((Map<?, ?>) t).get("serial")).isEqualTo(serial));
        alpha.operatorGet("/operator/expiring-tokens?days=0").expectStatus().isBadRequest();

        clock.fix(expiry.minusSeconds(61));
        alpha.verify(login, alpha.code()).expectStatus().isOk();
        clock.fix(expiry);
        alpha.verify(login, alpha.code()).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("TOKEN_EXPIRED");
        alpha.status(login).expectBody().jsonPath("$.status").isEqualTo("EXPIRED")
                .jsonPath("$.dailyTransferLimit").isEqualTo(200000);
        alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "HARDWARE"), login).expectStatus().isCreated();
    }
}
