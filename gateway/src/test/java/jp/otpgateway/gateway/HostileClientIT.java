package jp.otpgateway.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What a hostile client or a careless portal tries: shedding a lock (R7) on another path, a revoked
 * administrator acting, one body read two ways (duplicate keys, numbers for codes), and codes that
 * can never be right. Each answer changes nothing it must not: the failure count is read back
 * through the next wrong code's {@code remainingAttempts}.
 * it-alpha: lock after 5, MASTER/ADMIN unlock, deactivation with a code. it-beta: lock after 3,
 * branch-only unlock, deactivation without a code.
 */
@IntegrationTest
class HostileClientIT extends TwoTenantsTest {

    /** Locks the user's token with wrong codes (it-alpha 5, it-beta 3). */
    static void lock(OtpApi api, String login, int max) {
        for (int i = 1; i <= max; i++) {
            api.verify(login, api.wrongCode()).expectStatus().isEqualTo(422);
        }
        api.status(login).expectBody().jsonPath("$.status").isEqualTo("LOCKED");
    }

    static void isProblem(WebTestClient.ResponseSpec response, int status, String code) {
        response.expectStatus().isEqualTo(status).expectBody().jsonPath("$.code").isEqualTo(code);
    }

    @Nested
    class ALockStaysALock {

        @Test
        void aLockedUserCannotDeactivateWhereNoCodeIsNeededNorTransferWithinTheFallback() {
            String login = beta.activeUser();
            lock(beta, login, 3);

            isProblem(beta.portalPost("/users/{l}/otp/deactivation", Map.of(), login), 423, "OTP_LOCKED");
            isProblem(beta.transfer(login, 150_000), 423, "OTP_LOCKED");
            beta.status(login).expectBody().jsonPath("$.status").isEqualTo("LOCKED")
                    .jsonPath("$.dailyTransferUsed").doesNotExist();

            beta.operatorPost("/operator/unlocks", Map.of("loginIds", List.of(login), "staffId", "clerk-01")).expectStatus().isOk();
            beta.portalPost("/users/{l}/otp/deactivation", Map.of(), login).expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo("UNREGISTERED");
        }

        @Test
        void aLockedUserGetsNoNewTokenFromThePortalOrTheBranch() {
            String login = alpha.activeUser();
            lock(alpha, login, 5);
            isProblem(alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "HARDWARE", "otp", alpha.code()), login),
                    423, "OTP_LOCKED");
            isProblem(alpha.operatorPost("/operator/issuances", Map.of("loginId", login, "kind", "HARDWARE")),
                    423, "OTP_LOCKED");
        }

        @Test
        void anExpiredLockedTokenIsStillALockOnEveryPath() {
            String login = beta.user(OtpApi.newContract(), "GENERAL");
            beta.activated(login, beta.token(clock.instant().plus(Duration.ofDays(2))));
            clock.advance(Duration.ofSeconds(60));
            lock(beta, login, 3);
            clock.advance(Duration.ofDays(3));
            beta.status(login).expectBody().jsonPath("$.status").isEqualTo("EXPIRED");

            isProblem(beta.transfer(login, 150_000), 423, "OTP_LOCKED");
            isProblem(beta.portalPost("/transactions", OtpApi.transaction(login, "LOGIN", 0, false, null)),
                    423, "OTP_LOCKED");
            isProblem(beta.portalPost("/users/{l}/otp/deactivation", Map.of(), login), 423, "OTP_LOCKED");
            isProblem(beta.portalPost("/users/{l}/otp/issuance", Map.of("kind", "HARDWARE"), login), 423, "OTP_LOCKED");
            String other = beta.token();
            isProblem(beta.activate(login, other, beta.code()), 423, "OTP_LOCKED");
        }

        @Test
        void aRevokedOrLockedAdministratorCannotUnlockOthers() {
            String contract = OtpApi.newContract();
            String master = alpha.user(contract, "MASTER");
            String admin = alpha.user(contract, "ADMIN");
            String general = alpha.user(contract, "GENERAL");
            alpha.activated(master, alpha.token());
            alpha.activated(admin, alpha.token());
            alpha.activated(general, alpha.token());
            clock.advance(Duration.ofSeconds(60));
            lock(alpha, general, 5);
            alpha.portalPost("/contracts/{c}/revocations", Map.of("actor", admin, "loginIds", List.of(master),
                    "otp", alpha.code()), contract).expectStatus().isOk();

            isProblem(alpha.portalPost("/contracts/{c}/unlocks", Map.of("actor", master, "loginIds", List.of(general)),
                    contract), 403, "FORBIDDEN");
            alpha.status(general).expectBody().jsonPath("$.status").isEqualTo("LOCKED");
            alpha.portalPost("/contracts/{c}/unlocks", Map.of("actor", admin, "loginIds", List.of(general)), contract)
                    .expectStatus().isOk();
        }
    }

    @Nested
    class OneBodyOneReading {

        WebTestClient.ResponseSpec raw(String path, String json, Object... vars) {
            return alpha.portalPost(path, json, vars);
        }

        @Test
        void aVerificationWithTheCodeTwiceIsRefusedInBothOrdersAndCountsNothing() {
            String login = alpha.activeUser();
            String good = alpha.code();
            String bad = alpha.wrongCode();
            isProblem(raw("/users/{l}/otp/verification",
                    "{\"otp\":\"" + bad + "\",\"otp\":\"" + good + "\",\"operation\":\"LOGIN\"}", login), 400, "VALIDATION_FAILED");
            isProblem(raw("/users/{l}/otp/verification",
                    "{\"otp\":\"" + good + "\",\"otp\":\"" + bad + "\",\"operation\":\"LOGIN\"}", login), 400, "VALIDATION_FAILED");
            isProblem(raw("/users/{l}/otp/verification",
                    "{\"otp\":\"" + good + "\",\"operation\":\"LOGIN\",\"operation\":\"TRANSFER\"}", login), 400, "VALIDATION_FAILED");
            alpha.verify(login, alpha.wrongCode()).expectStatus().isEqualTo(422)
                    .expectBody().jsonPath("$.remainingAttempts").isEqualTo(4);
            alpha.verify(login, good).expectStatus().isOk();
        }

        @Test
        void aTransactionWithTheAmountTwiceChargesNothing() {
            String login = alpha.user(OtpApi.newContract(), "GENERAL");
            isProblem(raw("/transactions", "{\"loginId\":\"" + login + "\",\"type\":\"TRANSFER\",\"amount\":1000,"
                    + "\"amount\":150000,\"payeeRegistered\":false}"), 400, "VALIDATION_FAILED");
            isProblem(raw("/transactions", "{\"loginId\":\"" + login + "\",\"type\":\"TRANSFER\",\"amount\":1000,"
                    + "\"payeeRegistered\":false,\"payeeRegistered\":true}"), 400, "VALIDATION_FAILED");
            alpha.status(login).expectBody().jsonPath("$.dailyTransferUsed").isEqualTo(0);
        }

        @Test
        void aUserUpsertWithAKeyTwiceWritesNothing() {
            String login = "u-dup-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            http.put().uri("/v1/tenants/{t}/users/{l}", alpha.tenant(), login)
                    .headers(h -> h.setBearerAuth("it-alpha-portal-key"))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"contractId\":\"C-dup-1\",\"name\":\"山田\",\"role\":\"GENERAL\",\"role\":\"MASTER\"}")
                    .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("VALIDATION_FAILED");
            isProblem(alpha.status(login), 404, "USER_NOT_FOUND");
        }

        @Test
        void codesSerialsAndIdsAreStringsNeverNumbersOrBooleans() {
            String login = alpha.activeUser();
            String good = alpha.code();
            isProblem(raw("/users/{l}/otp/verification", "{\"otp\":" + good + ",\"operation\":\"LOGIN\"}", login),
                    400, "VALIDATION_FAILED");
            isProblem(raw("/users/{l}/otp/verification", "{\"otp\":\"" + good + "\",\"operation\":true}", login),
                    400, "VALIDATION_FAILED");
            String fresh = alpha.user(OtpApi.newContract(), "GENERAL");
            String serial = alpha.token();
            isProblem(raw("/users/{l}/otp/activation", "{\"serial\":" + serial + ",\"otp\":\"" + good + "\"}", fresh),
                    400, "VALIDATION_FAILED");
            isProblem(raw("/transactions", "{\"loginId\":12345678,\"type\":\"TRANSFER\",\"amount\":1000,"
                    + "\"payeeRegistered\":false}"), 400, "VALIDATION_FAILED");
            isProblem(raw("/contracts/{c}/unlocks", "{\"actor\":\"x\",\"loginIds\":[12345678]}", "C-1"),
                    400, "VALIDATION_FAILED");
            http.post().uri("/v1/provisioning").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"serviceId\":12345678,\"appUserId\":\"123456789012\",\"activationPassword\":\"1234\"}")
                    .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("VALIDATION_FAILED");

            alpha.verify(login, alpha.wrongCode()).expectBody().jsonPath("$.remainingAttempts").isEqualTo(4);
            alpha.verify(login, good).expectStatus().isOk();
            alpha.activate(fresh, serial, good).expectStatus().isOk();
        }

        @Test
        void somethingAfterTheBodyIsRefused() {
            String login = alpha.activeUser();
            isProblem(raw("/users/{l}/otp/verification", "{\"otp\":\"" + alpha.code() + "\",\"operation\":\"LOGIN\"}"
                    + "{\"otp\":\"" + alpha.wrongCode() + "\"}", login), 400, "VALIDATION_FAILED");
            alpha.verify(login, alpha.code()).expectStatus().isOk();
        }
    }

    @Nested
    class CodesThatCanNeverBeRight {

        @Test
        void aSevenDigitCodeOnAnEightDigitTokenIs400AndCountsNothing() {
            String login = alpha.activeUser();
            for (int i = 0; i < 6; i++) {
                alpha.verify(login, alpha.code().substring(1)).expectStatus().isBadRequest().expectBody()
                        .jsonPath("$.code").isEqualTo("VALIDATION_FAILED")
                        .jsonPath("$.errors[0].field").isEqualTo("otp")
                        .jsonPath("$.errors[0].message").isEqualTo("ワンタイムパスワードは半角数字8桁で入力してください。");
            }
            alpha.status(login).expectBody().jsonPath("$.status").isEqualTo("ACTIVE");
            alpha.verify(login, alpha.wrongCode()).expectStatus().isEqualTo(422)
                    .expectBody().jsonPath("$.remainingAttempts").isEqualTo(4);
            alpha.verify(login, alpha.code()).expectStatus().isOk();
        }

        @Test
        void aSixDigitCodeAtActivationAndInATransactionIs400Too() {
            String login = alpha.user(OtpApi.newContract(), "GENERAL");
            String serial = alpha.token();
            isProblem(alpha.activate(login, serial, alpha.code().substring(2)), 400, "VALIDATION_FAILED");
            alpha.activate(login, serial, alpha.code()).expectStatus().isOk();
            clock.advance(Duration.ofSeconds(60));
            isProblem(alpha.portalPost("/transactions",
                    OtpApi.transaction(login, "TRANSFER", 1_000, false, alpha.code().substring(2))), 400, "VALIDATION_FAILED");
            alpha.verify(login, alpha.wrongCode()).expectBody().jsonPath("$.remainingAttempts").isEqualTo(4);
        }
    }
}
