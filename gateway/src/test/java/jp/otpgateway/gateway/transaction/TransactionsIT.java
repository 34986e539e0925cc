package jp.otpgateway.gateway.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.otpgateway.gateway.shared.adapter.redis.GuardConnection;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.Parallel;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/** R9/R10 through the API: the decision, the fallback limit's exactness, its day and its durability. */
@IntegrationTest
@SuppressWarnings("rawtypes")
public class TransactionsIT extends TwoTenantsTest {

    @Autowired
    GuardConnection redis;

    String userWithoutOtp() {
        return alpha.user(OtpApi.newContract(), "GENERAL");
    }

    long remaining(String login) {
        return ((Number) alpha.status(login).expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody().get("dailyTransferRemaining")).longValue();
    }

    @Test
    void withinTheLimitTheTransferIsApprovedAndCharged() {
        String login = userWithoutOtp();
        alpha.transfer(login, 150_000).expectStatus().isCreated().expectBody()
                .jsonPath("$.decision").isEqualTo("APPROVED")
                .jsonPath("$.otpVerified").isEqualTo(false)
                .jsonPath("$.transactionId").isNotEmpty()
                .jsonPath("$.limit.daily").isEqualTo(200_000)
                .jsonPath("$.limit.used").isEqualTo(150_000)
                .jsonPath("$.limit.remaining").isEqualTo(50_000);
        alpha.transfer(login, 50_001).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.code").isEqualTo("LIMIT_EXCEEDED")
                .jsonPath("$.message").isNotEmpty()
                .jsonPath("$.limit.remaining").isEqualTo(50_000)
                .jsonPath("$.limit.used").isEqualTo(150_000);
        alpha.transfer(login, 50_000).expectStatus().isCreated().expectBody()
                .jsonPath("$.limit.remaining").isEqualTo(0);
        alpha.status(login).expectBody()
                .jsonPath("$.status").isEqualTo("UNREGISTERED")
                .jsonPath("$.dailyTransferLimit").isEqualTo(200_000)
                .jsonPath("$.dailyTransferUsed").isEqualTo(200_000)
                .jsonPath("$.dailyTransferRemaining").isEqualTo(0);
    }

    @Test
    void tenParallelTransfersOfFiftyThousandApproveExactlyFour() {
        String login = userWithoutOtp();

        List<EntityExchangeResult<Map>> results = Parallel.requests(10, i -> alpha.transfer(login, 50_000));

        assertThat(Parallel.count(results, 201)).isEqualTo(4);
        assertThat(Parallel.count(results, 422)).isEqualTo(6);
        assertThat(results).filteredOn(r -> r.getStatus().value() == 422)
                .allSatisfy(r -> assertThat(r.getResponseBody().get("code")).isEqualTo("LIMIT_EXCEEDED"));
        assertThat(remaining(login)).isZero();
    }

    @Test
    void twentyParallelRetriesOfOneIdempotencyKeyCountOnce() {
        String login = userWithoutOtp();
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = OtpApi.transaction(login, "TRANSFER", 50_000, false, null);

        List<EntityExchangeResult<Map>> results = Parallel.requests(20,
                i -> alpha.portalPostKeyed(key, "/transactions", body));

        assertThat(Parallel.count(results, 201)).isEqualTo(20);
        assertThat(results).extracting(r -> r.getResponseBody().get("transactionId")).containsOnly(
                results.get(0).getResponseBody().get("transactionId"));
        assertThat(remaining(login)).isEqualTo(150_000);
    }

    @Test
    void theLimitDayTurnsAtMidnightInTokyoNotOnTheHost() {
        String login = userWithoutOtp();
        clock.fix(Instant.parse("2026-11-21T14:59:59Z")); // 23:59:59 JST
        alpha.transfer(login, 200_000).expectStatus().isCreated();
        alpha.transfer(login, 1).expectStatus().isEqualTo(422);

        clock.fix(Instant.parse("2026-11-21T15:00:00Z")); // 00:00:00 JST of the next day
        assertThat(remaining(login)).isEqualTo(200_000);
        alpha.transfer(login, 200_000).expectStatus().isCreated();
    }

    @Test
    void aRedisLossLeavesTheDaysUsageAsItWas() {
        String login = userWithoutOtp();
        alpha.transfer(login, 120_000).expectStatus().isCreated();

        redis.get().flatMap(c -> c.flushdb()).block(Duration.ofSeconds(5)); // the tests' own Redis database

        alpha.transfer(login, 100_000).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.limit.remaining").isEqualTo(80_000);
        assertThat(remaining(login)).isEqualTo(80_000);
    }

    @Test
    void cancellationGivesTheAmountBackOnce() {
        String login = userWithoutOtp();
        String first = transactionId(alpha.transfer(login, 150_000));
        alpha.transfer(login, 30_000).expectStatus().isCreated();

        alpha.portalPost("/transactions/{id}/cancellation", "", first).expectStatus().isOk().expectBody()
                .jsonPath("$.transactionId").isEqualTo(first)
                .jsonPath("$.status").isEqualTo("CANCELLED");
        assertThat(remaining(login)).isEqualTo(170_000);

        alpha.portalPost("/transactions/{id}/cancellation", "", first).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("CANCELLED");
        assertThat(remaining(login)).isEqualTo(170_000);
    }

    @Test
    void parallelCancellationsGiveBackOnce() {
        String login = userWithoutOtp();
        String id = transactionId(alpha.transfer(login, 100_000));
        alpha.transfer(login, 50_000).expectStatus().isCreated();

        List<EntityExchangeResult<Map>> results = Parallel.requests(10,
                i -> alpha.portalPost("/transactions/{id}/cancellation", "", id));

        assertThat(Parallel.count(results, 200)).isEqualTo(10);
        assertThat(remaining(login)).isEqualTo(150_000);
    }

    @Test
    void cancellingOnAnotherDayGivesBackToTheDayOfTheTransaction() {
        String login = userWithoutOtp();
        clock.fix(Instant.parse("2026-11-21T14:00:00Z"));
        String id = transactionId(alpha.transfer(login, 100_000));
        clock.fix(Instant.parse("2026-11-21T15:30:00Z"));
        alpha.transfer(login, 200_000).expectStatus().isCreated();

        alpha.portalPost("/transactions/{id}/cancellation", "", id).expectStatus().isOk();

        assertThat(remaining(login)).isZero();
        clock.fix(Instant.parse("2026-11-21T14:30:00Z"));
        assertThat(remaining(login)).isEqualTo(200_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"00000000-0000-0000-0000-000000000000", "not-a-transaction", "12345"})
    void cancellingAnUnknownTransactionIs404(String id) {
        alpha.portalPost("/transactions/{id}/cancellation", "", id).expectStatus().isNotFound().expectBody()
                .jsonPath("$.code").isEqualTo("TRANSACTION_NOT_FOUND");
    }

    @Test
    void anotherTenantsTransactionIsNotFound() {
        String login = beta.user(OtpApi.newContract(), "GENERAL");
        String id = transactionId(beta.transfer(login, 10_000));
        alpha.portalPost("/transactions/{id}/cancellation", "", id).expectStatus().isNotFound();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "0", "1.5", "1.0", "1e5", "2E3", "\"100\"", "10000000000001",
            "123456789012345678901234567890", "true", "null", "{}", "[1]"})
    void badAmountsAreRefusedBeforeAnythingIsCharged(String amount) {
        String login = userWithoutOtp();
        String body = "{\"loginId\":\"" + login + "\",\"type\":\"TRANSFER\",\"amount\":" + amount
                + ",\"payeeRegistered\":false}";
        alpha.portalPost("/transactions", body).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("VALIDATION_FAILED")
                .jsonPath("$.errors[0].field").isEqualTo("amount")
                .jsonPath("$.errors[0].message").isNotEmpty();
        assertThat(remaining(login)).isEqualTo(200_000);
    }

    @Test
    void theLargestAmountIsReadButExceedsTheLimit() {
        String login = userWithoutOtp();
        alpha.transfer(login, 10_000_000_000_000L).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.code").isEqualTo("LIMIT_EXCEEDED")
                .jsonPath("$.limit.remaining").isEqualTo(200_000);
    }

    @Test
    void unknownTypeAndNonBooleanPayeeFlagNameTheirFields() {
        String login = userWithoutOtp();
        alpha.portalPost("/transactions", OtpApi.transaction(login, "PAYROLL_TRANSFER", 1_000, false, null))
                .expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("type");
        String body = "{\"loginId\":\"" + login + "\",\"type\":\"TRANSFER\",\"amount\":1000,\"payeeRegistered\":\"yes\"}";
        alpha.portalPost("/transactions", body).expectStatus().isBadRequest().expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("payeeRegistered");
    }

    @Test
    void anUnknownUserIs404() {
        alpha.transfer("nobody-" + UUID.randomUUID().toString().substring(0, 8), 1_000)
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("USER_NOT_FOUND");
    }

    @Test
    void anActiveUserGivesACodeThatGoesThroughTheVerificationPath() {
        String login = alpha.activeUser();
        alpha.transfer(login, 5_000_000).expectStatus().isEqualTo(428).expectBody()
                .jsonPath("$.code").isEqualTo("OTP_REQUIRED");

        String code = alpha.code();
        alpha.portalPost("/transactions", OtpApi.transaction(login, "TRANSFER", 5_000_000, false, code))
                .expectStatus().isCreated().expectBody()
                .jsonPath("$.otpVerified").isEqualTo(true)
                .jsonPath("$.limit").doesNotExist();
        // One replay state per token: the code the transaction used is used for every other call too.
        alpha.verify(login, code).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.code").isEqualTo("OTP_REPLAYED");
        alpha.portalPost("/transactions", OtpApi.transaction(login, "TRANSFER", 1_000, false, alpha.wrongCode()))
                .expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.code").isEqualTo("OTP_INVALID")
                .jsonPath("$.remainingAttempts").isEqualTo(3);
        alpha.status(login).expectBody().jsonPath("$.dailyTransferLimit").isEmpty()
                .jsonPath("$.dailyTransferRemaining").doesNotExist();
    }

    @Test
    void aLockedUserIsRefusedAndNotLetThroughTheFallbackLimit() {
        String login = alpha.activeUser();
        for (int i = 0; i < 5; i++) {
            alpha.verify(login, alpha.wrongCode()).expectStatus().isEqualTo(422);
        }
        alpha.transfer(login, 1_000).expectStatus().isEqualTo(423).expectBody()
                .jsonPath("$.code").isEqualTo("OTP_LOCKED");
        alpha.portalPost("/transactions", OtpApi.transaction(login, "LOGIN", 0, false, alpha.code()))
                .expectStatus().isEqualTo(423);
    }

    @Test
    void aDeactivatedUserFallsBackToTheLimit() {
        String login = alpha.activeUser();
        alpha.portalPost("/users/{l}/otp/deactivation", Map.of("otp", alpha.code()), login).expectStatus().isOk();

        alpha.transfer(login, 200_000).expectStatus().isCreated().expectBody()
                .jsonPath("$.limit.remaining").isEqualTo(0);
        alpha.status(login).expectBody().jsonPath("$.dailyTransferRemaining").isEqualTo(0);
    }

    @Test
    void theLimitIsTheTenants() {
        String login = beta.user(OtpApi.newContract(), "GENERAL");
        beta.transfer(login, 150_001).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.limit.daily").isEqualTo(150_000);
    }

    public static String transactionId(WebTestClient.ResponseSpec response) {
        return (String) response.expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("transactionId");
    }
}
