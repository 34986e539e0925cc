package jp.otpgateway.gateway.custody;

import static jp.otpgateway.gateway.support.IntegrationTest.THETA;
import static jp.otpgateway.gateway.support.IntegrationTest.THETA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.THETA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import jp.otpgateway.gateway.custody.adapter.tink.TinkSeedVault;
import jp.otpgateway.gateway.custody.application.RefreshingDataKeys;
import jp.otpgateway.gateway.custody.application.port.SeedVault;
import jp.otpgateway.gateway.shared.domain.KeysDestroyed;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Crypto-shredding of it-theta's keys through the API: refused while a seed is still under the
 * legacy keyset (which would survive it) until the re-seal moved it; a confirmation code that must
 * come back before it expires; then every seed of the tenant is unreadable for good (410), nothing
 * is sealed for it again, no first key is made for it again, and both steps are audited.
 */
@IntegrationTest
class CryptoShreddingIT extends TwoTenantsTest {

    static final String KEYS = "/operator/data-keys";

    @Autowired
    DatabaseClient db;

    @Autowired
    SeedVault vault;

    @Autowired
    RefreshingDataKeys refreshing;

    @Test
    @SuppressWarnings("unchecked")
    void aTenantsKeysAreDestroyedOnlyWhenConfirmedAndThenNothingOfItOpensAgain() throws Exception {
        OtpApi theta = new OtpApi(http, THETA, THETA_PORTAL, THETA_OPERATOR, clock);
        clock.fix(Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.MINUTES));
        List<String> users = theta.activatedUsers(3);

        // A seed sealed by an earlier version with the legacy keyset (one for all tenants): it opens.
        String legacySerial = "98765432109";
        TinkSeedVault legacy = TinkSeedVault.fromKeysetJson(Files.readString(Path.of("target/test-seed-keyset.json")));
        byte[] sealed = legacy.seal(THETA, legacySerial, HexFormat.of().parseHex(OtpApi.SEED_HEX));
        db.sql("""
                        INSERT INTO tokens (tenant_id, serial, kind, seed_sealed, algorithm, digits, period_seconds, expires_at, imported_at)
                        VALUES (:t, :s, 'HARDWARE', :seed, 'SHA1', 8, 60, :exp, :now)""")
                .bind("t", THETA).bind("s", legacySerial).bind("seed", sealed)
                .bind("exp", clock.instant().plus(Duration.ofDays(900))).bind("now", clock.instant())
                .fetch().rowsUpdated().block();
        String legacyUser = theta.user(OtpApi.newContract(), "GENERAL");
        theta.activated(legacyUser, legacySerial);
        Map<String, Object> before = theta.operatorGet(KEYS).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(((Number) before.get("legacySealed")).longValue()).isEqualTo(1);

        // It would survive the shredding: refused until it is re-sealed to the tenant's own key.
        theta.operatorPost(KEYS + "/destruction-requests", Map.of("staffId", "clerk-a")).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("RESEAL_PENDING")
                .jsonPath("$.message").isEqualTo("旧鍵で暗号化されたシードが残っています。再暗号化の完了後に鍵の破棄を申請してください。");
        theta.operatorPost(KEYS + "/reseal", Map.of("staffId", "clerk-a")).expectStatus().isAccepted();
        await().atMost(Duration.ofSeconds(20)).until(() -> ((Number) theta.operatorGet(KEYS).expectBody(Map.class)
                .returnResult().getResponseBody().get("legacySealed")).longValue() == 0);
        clock.advance(Duration.ofSeconds(60));
        theta.verify(legacyUser, theta.code()).expectStatus().isOk();

        // No destruction without its request; a code from another request, or one past its time, is refused.
        theta.operatorPost(KEYS + "/destruction", Map.of("confirmation", "ABCDEFGH23", "staffId", "clerk-b"))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("DESTRUCTION_NOT_CONFIRMED");
        String expired = confirmation(theta);
        clock.advance(Duration.ofMinutes(11));
        theta.operatorPost(KEYS + "/destruction", Map.of("confirmation", expired, "staffId", "clerk-b"))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("DESTRUCTION_NOT_CONFIRMED");
        String code = confirmation(theta);
        assertThat(code).matches("[A-Z0-9]{10}").isNotEqualTo(expired);
        theta.operatorPost(KEYS + "/destruction", Map.of("confirmation", expired, "staffId", "clerk-b"))
                .expectStatus().isEqualTo(409);
        theta.operatorPost(KEYS + "/destruction", Map.of("confirmation", "bad", "staffId", "clerk-b"))
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("VALIDATION_FAILED");
        clock.advance(Duration.ofSeconds(60));
        theta.verify(users.get(0), theta.code()).expectStatus().isOk(); // nothing happened yet

        theta.operatorPost(KEYS + "/destruction", Map.of("confirmation", code, "staffId", "clerk-b"))
                .expectStatus().isOk().expectBody().jsonPath("$.destroyedKeys").isEqualTo(1);

        // Gone for good: verification, a new token, a rotation, a second request.
        clock.advance(Duration.ofSeconds(60));
        theta.verify(users.get(1), theta.code()).expectStatus().isEqualTo(410)
                .expectBody().jsonPath("$.code").isEqualTo("TENANT_KEYS_DESTROYED");
        http.post().uri("/v1/tenants/{t}/operator/hardware-tokens", THETA).headers(h -> h.setBearerAuth(THETA_OPERATOR))
                .contentType(org.springframework.http.MediaType.parseMediaType("text/csv"))
                .bodyValue("serial,seed_hex,expires_at\n123456789012," + OtpApi.SEED_HEX + ",2030-01-01T00:00:00+09:00\n")
                .exchange().expectStatus().isEqualTo(410);
        theta.operatorPost(KEYS, Map.of("staffId", "clerk-b")).expectStatus().isEqualTo(410);
        theta.operatorPost(KEYS + "/destruction-requests", Map.of("staffId", "clerk-b")).expectStatus().isEqualTo(410);
        Map<String, Object> after = theta.operatorGet(KEYS).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(after.get("destroyed")).isEqualTo(true);
        assertThat((List<?>) after.get("keys")).isEmpty();

        // The ciphertexts are still there; no key opens them, and a refresh (a restart) makes no new key.
        refreshing.refresh().block();
        assertThat(db.sql("SELECT count(*) AS n FROM data_keys WHERE tenant_id = :t").bind("t", THETA)
                .map(row -> row.get("n", Long.class)).one().block()).isZero();
        byte[] stored = db.sql("SELECT seed_sealed FROM tokens WHERE tenant_id = :t AND serial = :s").bind("t", THETA)
                .bind("s", legacySerial).map(row -> row.get("seed_sealed", byte[].class)).one().block();
        assertThatThrownBy(() -> vault.open(THETA, legacySerial, stored)).isInstanceOf(KeysDestroyed.class);
        assertThatThrownBy(() -> legacy.open(THETA, legacySerial, stored)).isInstanceOf(SecurityException.class);

        List<String> audited = db.sql("""
                        SELECT outcome || ' ' || staff_id AS e FROM audit_events
                         WHERE tenant_id = :t AND operation = 'DATA_KEY' ORDER BY event_id""")
                .bind("t", THETA).map(row -> row.get("e", String.class)).all().collectList().block();
        assertThat(audited).containsExactly("RESEAL_STARTED clerk-a", "DESTRUCTION_REQUESTED clerk-a",
                "DESTRUCTION_REQUESTED clerk-a", "DESTROYED clerk-b");
    }

    @SuppressWarnings("unchecked")
    private static String confirmation(OtpApi theta) {
        Map<String, Object> request = theta.operatorPost(KEYS + "/destruction-requests", Map.of("staffId", "clerk-a"))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(((Number) request.get("sealed")).longValue()).isEqualTo(4);
        return (String) request.get("confirmation");
    }
}
