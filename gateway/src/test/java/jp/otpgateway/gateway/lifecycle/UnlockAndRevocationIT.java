package jp.otpgateway.gateway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.Test;

/** R7, R8, R12 through the API: the lock of a shared token, who may unlock, revocation and cool-down. */
@IntegrationTest
class UnlockAndRevocationIT extends TwoTenantsTest {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    /** Users of one new contract: the first {@code sharing} share one token, the others have their own. */
    record Contract(String id, List<String> logins, String sharedSerial) {
    }

    Contract contract(OtpApi api, List<String> roles, int sharing) {
        String id = OtpApi.newContract();
        String shared = api.token();
        List<String> logins = roles.stream().map(role -> api.user(id, role)).toList();
        for (int i = 0; i < logins.size(); i++) {
            api.activated(logins.get(i), i < sharing ? shared : api.token());
            clock.advance(Duration.ofSeconds(60));
        }
        return new Contract(id, logins, shared);
    }

    void lock(OtpApi api, String login, int n) {
        for (int i = 0; i < n; i++) {
            api.verify(login, api.wrongCode()).expectStatus().isEqualTo(422);
        }
        api.verify(login, api.code()).expectStatus().isEqualTo(423);
    }

    @Test
    void failuresOfSharersAddUpOnTheTokenAndOneUnlockFreesThemAll() {
        Contract c = contract(alpha, List.of("GENERAL", "GENERAL", "ADMIN"), 2);
        String first = c.logins().get(0);
        String second = c.logins().get(1);
        for (int i = 0; i < 3; i++) {
            alpha.verify(first, alpha.wrongCode()).expectStatus().isEqualTo(422);
        }
        alpha.verify(second, alpha.wrongCode()).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.remainingAttempts").isEqualTo(1);
        alpha.verify(second, alpha.wrongCode()).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.remainingAttempts").isEqualTo(0);
        alpha.verify(first, alpha.code()).expectStatus().isEqualTo(423);
        alpha.status(second).expectBody().jsonPath("$.status").isEqualTo("LOCKED");

        alpha.portalPost("/contracts/{c}/unlocks", Map.of("actor", c.logins().get(2), "loginIds", List.of(first)), c.id())
                .expectStatus().isOk().expectBody()
                .jsonPath("$.unlocked.length()").isEqualTo(2)
                .jsonPath("$.unlocked[?(@.loginId == '" + second + "')].serial").isEqualTo(c.sharedSerial())
                .jsonPath("$.unlocked[0].status").isEqualTo("ACTIVE");
        alpha.verify(second, alpha.code()).expectStatus().isOk();
        clock.advance(Duration.ofSeconds(60));
        alpha.verify(first, alpha.wrongCode()).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.remainingAttempts").isEqualTo(4);
    }

    @Test
    void onlyAnUnlockByRoleOfTheSameContractMayUnlockAndNothingChangesOtherwise() {
        Contract c = contract(alpha, List.of("GENERAL", "GENERAL"), 0);
        Contract other = contract(alpha, List.of("ADMIN"), 0);
        String locked = c.logins().get(0);
        lock(alpha, locked, 5);

        alpha.portalPost("/contracts/{c}/unlocks", Map.of("actor", c.logins().get(1), "loginIds", List.of(locked)), c.id())
                .expectStatus().isForbidden().expectBody().jsonPath("$.code").isEqualTo("FORBIDDEN");
        alpha.portalPost("/contracts/{c}/unlocks", Map.of("actor", other.logins().get(0), "loginIds", List.of(locked)), c.id())
                .expectStatus().isForbidden();
        alpha.portalPost("/contracts/{c}/unlocks", Map.of("actor", other.logins().get(0), "loginIds", List.of(locked)),
                        other.id())
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("USER_NOT_FOUND");
        alpha.portalPost("/contracts/{c}/unlocks", Map.of("actor", "x", "loginIds", List.of()), c.id())
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("loginIds");
        alpha.verify(locked, alpha.code()).expectStatus().isEqualTo(423);
    }

    @Test
    void aLockedMasterIsUnlockedByTheBranchOnly() {
        Contract c = contract(alpha, List.of("MASTER", "ADMIN"), 0);
        String master = c.logins().get(0);
        lock(alpha, master, 5);
        alpha.portalPost("/contracts/{c}/unlocks", Map.of("actor", c.logins().get(1), "loginIds", List.of(master)), c.id())
                .expectStatus().isForbidden();
        alpha.operatorPost("/operator/unlocks", Map.of("loginIds", List.of(master), "staffId", "clerk-01")).expectStatus().isOk()
                .expectBody().jsonPath("$.unlocked[0].loginId").isEqualTo(master);
        alpha.verify(master, alpha.code()).expectStatus().isOk();
    }

    @Test
    void anOperatorOnlyTenantRefusesContractUnlocks() {
        Contract c = contract(beta, List.of("GENERAL", "MASTER"), 0);
        String locked = c.logins().get(0);
        lock(beta, locked, 3);
        beta.portalPost("/contracts/{c}/unlocks", Map.of("actor", c.logins().get(1), "loginIds", List.of(locked)), c.id())
                .expectStatus().isForbidden();
        beta.operatorPost("/operator/unlocks", Map.of("loginIds", List.of(locked), "staffId", "clerk-01")).expectStatus().isOk();
        beta.verify(locked, beta.code()).expectStatus().isOk();
        beta.operatorPost("/operator/unlocks", Map.of("loginIds", List.of("nobody-" + c.id()), "staffId", "clerk-01"))
                .expectStatus().isNotFound();
        beta.portalPost("/operator/unlocks", Map.of("loginIds", List.of(locked), "staffId", "clerk-01")).expectStatus().isForbidden();
    }

    @Test
    void revocationNeedsTheActorsCodeStopsTheUserAndWaitsForTheCooldown() {
        Contract c = contract(alpha, List.of("MASTER", "GENERAL"), 0);
        String master = c.logins().get(0);
        String lost = c.logins().get(1);
        String lostSerial = alpha.status(lost).expectBody(Map.class).returnResult().getResponseBody().get("serial").toString();

        alpha.portalPost("/contracts/{c}/revocations", Map.of("actor", lost, "loginIds", List.of(lost)), c.id())
                .expectStatus().isForbidden();
        alpha.portalPost("/contracts/{c}/revocations", Map.of("actor", master, "loginIds", List.of(lost)), c.id())
                .expectStatus().isEqualTo(428).expectBody().jsonPath("$.code").isEqualTo("OTP_REQUIRED");
        alpha.portalPost("/contracts/{c}/revocations",
                        Map.of("actor", master, "loginIds", List.of(lost), "otp", alpha.wrongCode()), c.id())
                .expectStatus().isEqualTo(422);
        alpha.status(lost).expectBody().jsonPath("$.status").isEqualTo("ACTIVE");

        Instant revokedAt = clock.instant();
        alpha.portalPost("/contracts/{c}/revocations",
                        Map.of("actor", master, "loginIds", List.of(lost), "otp", alpha.code()), c.id())
                .expectStatus().isOk().expectBody()
                .jsonPath("$.revoked[0].loginId").isEqualTo(lost)
                .jsonPath("$.revoked[0].serial").isEqualTo(lostSerial)
                .jsonPath("$.revoked[0].status").isEqualTo("REVOKED")
                .jsonPath("$.issuanceAvailableAt").isNotEmpty();
        alpha.verify(lost, alpha.code()).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("OTP_NOT_ACTIVE");
        alpha.status(lost).expectBody().jsonPath("$.status").isEqualTo("REVOKED")
                .jsonPath("$.issuanceAvailableAt").isNotEmpty()
                .jsonPath("$.dailyTransferLimit").isEqualTo(200000);

        clock.fix(revokedAt.plus(Duration.ofMinutes(29)));
        alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "HARDWARE"), lost)
                .expectStatus().isEqualTo(409).expectBody()
                .jsonPath("$.code").isEqualTo("ISSUANCE_COOLDOWN")
                .jsonPath("$.issuanceAvailableAt").isNotEmpty();
        clock.fix(revokedAt.plus(Duration.ofMinutes(31)));
        alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "HARDWARE"), lost).expectStatus().isCreated();
        alpha.status(lost).expectBody().jsonPath("$.status").isEqualTo("ISSUED");
    }

    @Test
    void aRevokedTokenMayBeActivatedAgain() {
        Contract c = contract(alpha, List.of("ADMIN", "GENERAL"), 0);
        String admin = c.logins().get(0);
        String user = c.logins().get(1);
        String serial = alpha.status(user).expectBody(Map.class).returnResult().getResponseBody().get("serial").toString();
        alpha.portalPost("/contracts/{c}/revocations",
                Map.of("actor", admin, "loginIds", List.of(user), "otp", alpha.code()), c.id()).expectStatus().isOk();
        clock.advance(Duration.ofSeconds(60));
        alpha.activate(user, serial, alpha.code()).expectStatus().isOk();
        alpha.status(user).expectBody().jsonPath("$.status").isEqualTo("ACTIVE").jsonPath("$.serial").isEqualTo(serial);
    }

    @Test
    void aRevocationInTheMaintenanceWindowWaitsForTheLaterOfCooldownAndWindowEnd() {
        Contract c = contract(alpha, List.of("MASTER", "GENERAL"), 0);
        ZonedDateTime night = ZonedDateTime.now(TOKYO).plusDays(1).withHour(3).withMinute(5).withSecond(0).withNano(0);
        clock.fix(night.toInstant());
        alpha.portalPost("/contracts/{c}/revocations",
                        Map.of("actor", c.logins().get(0), "loginIds", List.of(c.logins().get(1)), "otp", alpha.code()),
                        c.id())
                .expectStatus().isOk().expectBody()
                // 30 min cool-down (03:35) is later than the window's end (03:10)
                .jsonPath("$.issuanceAvailableAt").isEqualTo(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(night.plusMinutes(30)));
        assertThat(night.getHour()).isEqualTo(3);
    }
}
