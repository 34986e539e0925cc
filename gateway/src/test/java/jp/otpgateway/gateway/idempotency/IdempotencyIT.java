package jp.otpgateway.gateway.idempotency;

import jp.otpgateway.gateway.transaction.TransactionsIT;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.otpgateway.gateway.idempotency.adapter.persistence.IdempotencyPurgeJob;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Idempotency-Key on POSTs: a portal's retry after a timeout gets the first answer and acts never twice. */
@IntegrationTest
@SuppressWarnings("rawtypes")
class IdempotencyIT extends TwoTenantsTest {

    @Autowired
    DatabaseClient db;

    @Autowired
    IdempotencyPurgeJob purgeJob;

    static String newKey() {
        return "retry-" + UUID.randomUUID();
    }

    WebTestClient.ResponseSpec verify(String key, String login, String code) {
        return alpha.portalPostKeyed(key, "/users/{l}/otp/verification", Map.of("otp", code, "operation", "LOGIN"),
                login);
    }

    @Test
    void aRetriedVerificationGetsItsFirstAnswerNotAReplayOfItself() {
        String login = alpha.activeUser();
        String key = newKey();
        String code = alpha.code();

        verify(key, login, code).expectStatus().isOk().expectHeader().doesNotExist("Idempotent-Replayed")
                .expectBody().jsonPath("$.result").isEqualTo("ACCEPTED");
        verify(key, login, code).expectStatus().isOk().expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody().jsonPath("$.result").isEqualTo("ACCEPTED");

        // The code was used once: without the key, sending it again is a replay.
        alpha.verify(login, code).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.code").isEqualTo("OTP_REPLAYED");
    }

    @Test
    void aRetriedWrongCodeCountsOneFailure() {
        String login = alpha.activeUser();
        String key = newKey();
        String wrong = alpha.wrongCode();

        verify(key, login, wrong).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.remainingAttempts").isEqualTo(4);
        verify(key, login, wrong).expectStatus().isEqualTo(422)
                .expectHeader().valueEquals("Content-Type", "application/problem+json")
                .expectBody().jsonPath("$.code").isEqualTo("OTP_INVALID").jsonPath("$.remainingAttempts").isEqualTo(4);
        alpha.verify(login, wrong).expectBody().jsonPath("$.remainingAttempts").isEqualTo(3);
    }

    @Test
    void theSameKeyWithAnotherRequestIsRefused() {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        String key = newKey();
        alpha.portalPostKeyed(key, "/transactions", OtpApi.transaction(login, "TRANSFER", 1_000, false, null))
                .expectStatus().isCreated();

        alpha.portalPostKeyed(key, "/transactions", OtpApi.transaction(login, "TRANSFER", 2_000, false, null))
                .expectStatus().isEqualTo(409).expectBody()
                .jsonPath("$.code").isEqualTo("IDEMPOTENCY_KEY_REUSED")
                .jsonPath("$.message").isNotEmpty();
        alpha.portalPostKeyed(key, "/users/{l}/otp/verification", Map.of("otp", "12345678", "operation", "LOGIN"),
                login).expectStatus().isEqualTo(409);
        alpha.status(login).expectBody().jsonPath("$.dailyTransferUsed").isEqualTo(1_000);
    }

    @Test
    void keysBelongToOneClientOfOneTenant() {
        String key = newKey();
        String alphaUser = alpha.user(OtpApi.newContract(), "GENERAL");
        String betaUser = beta.user(OtpApi.newContract(), "GENERAL");
        alpha.portalPostKeyed(key, "/transactions", OtpApi.transaction(alphaUser, "TRANSFER", 1_000, false, null))
                .expectStatus().isCreated();
        beta.portalPostKeyed(key, "/transactions", OtpApi.transaction(betaUser, "TRANSFER", 1_000, false, null))
                .expectStatus().isCreated().expectHeader().doesNotExist("Idempotent-Replayed");
        alpha.operatorPostKeyed(key, "/operator/unlocks", Map.of("loginIds", List.of(alphaUser), "staffId", "clerk-01"))
                .expectHeader().doesNotExist("Idempotent-Replayed");
    }

    @Test
    void afterTwentyFourHoursTheKeyActsAgain() {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        String key = newKey();
        Map<String, Object> body = OtpApi.transaction(login, "TRANSFER", 1_000, false, null);
        String first = TransactionsIT.transactionId(alpha.portalPostKeyed(key, "/transactions", body));

        clock.advance(Duration.ofHours(23).plusMinutes(59));
        assertThat(TransactionsIT.transactionId(alpha.portalPostKeyed(key, "/transactions", body))).isEqualTo(first);

        clock.advance(Duration.ofMinutes(2));
        assertThat(TransactionsIT.transactionId(alpha.portalPostKeyed(key, "/transactions", body))).isNotEqualTo(first);
    }

    @Test
    void theKeyIsCheckedForForm() {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        alpha.portalPostKeyed("k".repeat(65), "/transactions", OtpApi.transaction(login, "TRANSFER", 1_000, false, null))
                .expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("VALIDATION_FAILED")
                .jsonPath("$.errors[0].field").isEqualTo("Idempotency-Key");
        alpha.status(login).expectBody().jsonPath("$.dailyTransferUsed").isEqualTo(0);
    }

    @Test
    void expiredRecordsArePurged() {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        String key = newKey();
        alpha.portalPostKeyed(key, "/transactions", OtpApi.transaction(login, "TRANSFER", 1_000, false, null))
                .expectStatus().isCreated();
        assertThat(records(key)).isEqualTo(1);

        purgeJob.purge().block(Duration.ofSeconds(10));
        assertThat(records(key)).isEqualTo(1);

        clock.advance(Duration.ofHours(25));
        purgeJob.purge().block(Duration.ofSeconds(10));
        assertThat(records(key)).isZero();
    }

    long records(String key) {
        return db.sql("SELECT count(*) AS n FROM idempotency_records WHERE idem_key = :key").bind("key", key)
                .map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(5));
    }

    /** Writes an unanswered claim of {@code key} for the raw transaction {@code body}, as a running or dead request leaves it. */
    void claimLeftBehind(String key, String body, Duration leaseLeft) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(("POST\n/v1/tenants/" + alpha.tenant() + "/transactions?\n").getBytes(StandardCharsets.UTF_8));
        byte[] fingerprint = digest.digest(body.getBytes(StandardCharsets.UTF_8));
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        db.sql("INSERT INTO idempotency_records (tenant_id, client, idem_key, fingerprint, created_at, lease_until,"
                        + " expires_at) VALUES (:t, 'portal', :k, :f, :now, :lease, :expires)")
                .bind("t", alpha.tenant()).bind("k", key).bind("f", ByteBuffer.wrap(fingerprint))
                .bind("now", now).bind("lease", now.plus(leaseLeft)).bind("expires", now.plusHours(24))
                .then().block(Duration.ofSeconds(5));
    }

    static String rawTransfer(String login) {
        return "{\"loginId\":\"" + login + "\",\"type\":\"TRANSFER\",\"amount\":1000,\"payeeRegistered\":false}";
    }

    @Test
    void aRetryWaitsForARunningFirstRequestAndThenSaysSo() throws Exception {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        String key = newKey();
        claimLeftBehind(key, rawTransfer(login), Duration.ofSeconds(60));

        alpha.portalPostKeyed(key, "/transactions", rawTransfer(login)).expectStatus().isEqualTo(409)
                .expectHeader().valueEquals("Retry-After", "1")
                .expectBody().jsonPath("$.code").isEqualTo("IDEMPOTENCY_KEY_IN_USE");
        alpha.status(login).expectBody().jsonPath("$.dailyTransferUsed").isEqualTo(0);
    }

    @Test
    void theClaimOfADeadInstanceIsTakenOverAfterItsLease() throws Exception {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        String key = newKey();
        claimLeftBehind(key, rawTransfer(login), Duration.ofSeconds(60));

        clock.advance(Duration.ofSeconds(61));
        alpha.portalPostKeyed(key, "/transactions", rawTransfer(login)).expectStatus().isCreated();
        alpha.portalPostKeyed(key, "/transactions", rawTransfer(login)).expectStatus().isCreated()
                .expectHeader().valueEquals("Idempotent-Replayed", "true");
        alpha.status(login).expectBody().jsonPath("$.dailyTransferUsed").isEqualTo(1_000);
    }

    /** What an instance that died after acting and before keeping its answer leaves: the claim, unanswered. */
    void answerLost(String key) {
        db.sql("UPDATE idempotency_records SET status = NULL, content_type = NULL, body = NULL "
                        + "WHERE tenant_id = :t AND idem_key = :k")
                .bind("t", alpha.tenant()).bind("k", key).then().block(Duration.ofSeconds(5));
    }

    long transactionsOf(String login) {
        return db.sql("SELECT count(*) AS n FROM transactions WHERE tenant_id = :t AND login_id = :l")
                .bind("t", alpha.tenant()).bind("l", login)
                .map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(5));
    }

    @Test
    void aChargeWhoseAnswerWasLostIsNotChargedAgainByTheRetryThatTakesOver() {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        String key = newKey();
        String first = alpha.portalPostKeyed(key, "/transactions", rawTransfer(login)).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("transactionId").toString();
        answerLost(key);

        clock.advance(Duration.ofSeconds(61));
        alpha.portalPostKeyed(key, "/transactions", rawTransfer(login)).expectStatus().isCreated()
                .expectHeader().doesNotExist("Idempotent-Replayed")
                .expectBody().jsonPath("$.transactionId").isEqualTo(first)
                .jsonPath("$.decision").isEqualTo("APPROVED")
                .jsonPath("$.limit.used").isEqualTo(1_000);
        alpha.status(login).expectBody().jsonPath("$.dailyTransferUsed").isEqualTo(1_000);
        assertThat(transactionsOf(login)).isEqualTo(1);

        // Another key is another transfer.
        alpha.portalPostKeyed(newKey(), "/transactions", rawTransfer(login)).expectStatus().isCreated();
        alpha.status(login).expectBody().jsonPath("$.dailyTransferUsed").isEqualTo(2_000);
        assertThat(transactionsOf(login)).isEqualTo(2);
    }

    @Test
    void anApprovalWhoseAnswerWasLostIsNotRecordedAgain() {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        String key = newKey();
        String first = alpha.portalPostKeyed(key, "/transactions", OtpApi.transaction(login, "LOGIN", 0, false, null))
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("transactionId").toString();
        answerLost(key);

        clock.advance(Duration.ofSeconds(61));
        alpha.portalPostKeyed(key, "/transactions", OtpApi.transaction(login, "LOGIN", 0, false, null))
                .expectStatus().isCreated().expectBody().jsonPath("$.transactionId").isEqualTo(first);
        assertThat(transactionsOf(login)).isEqualTo(1);
    }
}
