package jp.otpgateway.gateway.onboarding;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_PORTAL;
import static jp.otpgateway.gateway.support.IntegrationTest.ZETA;
import static jp.otpgateway.gateway.support.IntegrationTest.ZETA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.ZETA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;
import static jp.otpgateway.gateway.support.PskcFixtures.file;
import static jp.otpgateway.gateway.support.PskcFixtures.sidecar;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * PSKC delivery files (RFC 6030) through the API against PostgreSQL: python-pskc's files with a
 * stored transport key and with a password, every key then activated with the code python-pskc's
 * generator computed for it; the tampered file, a wrong password and an unknown key name import
 * nothing; seeds in clear only in a tenant that takes them; the transport key's life (stored
 * sealed, audited, removed); the password and the key never in a log.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class PskcImportIT extends TwoTenantsTest {

    static final MediaType PSKC = MediaType.parseMediaType("application/pskc+xml");

    @Autowired
    DatabaseClient db;



    WebTestClient.ResponseSpec upload(String tenant, String key, String file, String header, String value) {
        return http.post().uri("/v1/tenants/{t}/operator/hardware-tokens", tenant)
                .headers(h -> {
                    h.setBearerAuth(key);
                    if (header != null) {
                        h.set(header, value);
                    }
                })
                .contentType(PSKC).bodyValue(file(file)).exchange();
    }

    WebTestClient.ResponseSpec storeKey(String name, String hex) {
        return http.put().uri("/v1/tenants/{t}/operator/pskc-keys/{n}", ALPHA, name)
                .headers(h -> h.setBearerAuth(ALPHA_OPERATOR)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("key", hex, "staffId", "clerk-3")).exchange();
    }

    long tokens(String tenant, JsonNode sidecar) {
        long n = 0;
        for (JsonNode key : sidecar.get("keys")) {
            n += db.sql("SELECT count(*) FROM tokens WHERE tenant_id = :t AND serial = :s").bind("t", tenant)
                    .bind("s", key.get("serial").asString()).map(r -> r.get(0, Long.class)).one().block();
        }
        return n;
    }

    /** Every key of the file activated by a user of its own with the code python-pskc's side computed at its check time. */
    void everyKeyActivatesWithItsIndependentCode(OtpApi api, JsonNode sidecar) {
        long at = sidecar.get("totp_check_time").asLong();
        clock.fix(Instant.ofEpochSecond(at));
        for (JsonNode key : sidecar.get("keys")) {
            String login = api.user(OtpApi.newContract(), "GENERAL");
            api.activate(login, key.get("serial").asString(), key.get("totp_at_" + at).asString())
                    .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("ACTIVE");
        }
    }

    @Test
    void aVendorsFileUnderAStoredTransportKeyImportsEveryKeyAndEachActivates(CapturedOutput output) {
        JsonNode sidecar = sidecar("psk-aes128-hmacsha1");
        String keyHex = sidecar.get("encryption").get("key_hex").asString();
        String name = sidecar.get("encryption").get("key_name").asString();

        // no key stored under that name yet: nothing imported
        upload(ALPHA, ALPHA_OPERATOR, "psk-aes128-hmacsha1.pskcxml", "PSKC-Key", name)
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("PSKC_INVALID");
        // the header is required for an encrypted file
        upload(ALPHA, ALPHA_OPERATOR, "psk-aes128-hmacsha1.pskcxml", null, null)
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("PSKC-Key");

        storeKey(name, keyHex).expectStatus().isNoContent();
        // the tampered copy (one ValueMAC byte flipped) imports nothing, not even its four good keys
        upload(ALPHA, ALPHA_OPERATOR, "bad-mac.pskcxml", "PSKC-Key", name)
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("PSKC_INVALID")
                .jsonPath("$.errors[0].message").value(m -> assertThat(m.toString()).contains("MACが一致しません"));
        assertThat(tokens(ALPHA, sidecar)).isZero();

        upload(ALPHA, ALPHA_OPERATOR, "psk-aes128-hmacsha1.pskcxml", "PSKC-Key", name)
                .expectStatus().isOk().expectBody()
                .jsonPath("$.imported").isEqualTo(5).jsonPath("$.skipped").isEqualTo(0).jsonPath("$.errorCount").isEqualTo(0);
        upload(ALPHA, ALPHA_OPERATOR, "psk-aes128-hmacsha1.pskcxml", "PSKC-Key", name)
                .expectStatus().isOk().expectBody().jsonPath("$.imported").isEqualTo(0).jsonPath("$.skipped").isEqualTo(5);
        everyKeyActivatesWithItsIndependentCode(alpha, sidecar);

        // stored sealed: the clear key is nowhere in the row, and the key never reached a log
        byte[] stored = db.sql("SELECT key_sealed FROM pskc_keys WHERE tenant_id = :t AND name = :n")
                .bind("t", ALPHA).bind("n", name).map(r -> r.get(0, byte[].class)).one().block();
        assertThat(java.util.HexFormat.of().formatHex(stored)).doesNotContain(keyHex);
        await().atMost(Duration.ofSeconds(5)).until(() -> db.sql("SELECT count(*) FROM audit_events WHERE tenant_id = :t "
                        + "AND operation = 'PSKC_KEY' AND outcome = 'STORED' AND staff_id = 'clerk-3'")
                .bind("t", ALPHA).map(r -> r.get(0, Long.class)).one().block() >= 1);
        assertThat(output.getAll()).doesNotContain(keyHex);

        // removed: gone for the next file; a second removal finds nothing
        http.delete().uri("/v1/tenants/{t}/operator/pskc-keys/{n}?staffId=clerk-3", ALPHA, name)
                .headers(h -> h.setBearerAuth(ALPHA_OPERATOR)).exchange().expectStatus().isNoContent();
        http.delete().uri("/v1/tenants/{t}/operator/pskc-keys/{n}?staffId=clerk-3", ALPHA, name)
                .headers(h -> h.setBearerAuth(ALPHA_OPERATOR)).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("PSKC_KEY_NOT_FOUND");
        upload(ALPHA, ALPHA_OPERATOR, "psk-aes128-hmacsha1.pskcxml", "PSKC-Key", name)
                .expectStatus().isEqualTo(422);
    }

    @Test
    void aPasswordFileImportsWithItsPasswordAndAWrongOneImportsNothing(CapturedOutput output) {
        JsonNode sidecar = sidecar("pbkdf2-aes128");
        String password = sidecar.get("encryption").get("password").asString();
        upload(ALPHA, ALPHA_OPERATOR, "pbkdf2-aes128.pskcxml", "PSKC-Password", password + "x")
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("PSKC_INVALID");
        assertThat(tokens(ALPHA, sidecar)).isZero();
        upload(ALPHA, ALPHA_OPERATOR, "pbkdf2-aes128.pskcxml", null, null)
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("PSKC-Password");
        upload(ALPHA, ALPHA_OPERATOR, "pbkdf2-aes128.pskcxml", "PSKC-Password", password)
                .expectStatus().isOk().expectBody().jsonPath("$.imported").isEqualTo(5);
        everyKeyActivatesWithItsIndependentCode(alpha, sidecar);
        assertThat(output.getAll()).doesNotContain(password);
    }

    @Test
    void seedsInClearOnlyWhereTheTenantTakesThem() {
        JsonNode sidecar = sidecar("plain");
        upload(ALPHA, ALPHA_OPERATOR, "plain.pskcxml", null, null)
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("PSKC_INVALID");
        assertThat(tokens(ALPHA, sidecar)).isZero();
        upload(ZETA, ZETA_OPERATOR, "plain.pskcxml", null, null)
                .expectStatus().isOk().expectBody().jsonPath("$.imported").isEqualTo(5);
        everyKeyActivatesWithItsIndependentCode(new OtpApi(http, ZETA, ZETA_PORTAL, ZETA_OPERATOR, clock), sidecar);
    }

    @Test
    void hostileXmlIsRefusedAndTheApiNamesTheProblem() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<pskc:KeyContainer xmlns:pskc=\"urn:ietf:params:xml:ns:keyprov:pskc\"><pskc:KeyPackage><pskc:DeviceInfo>"
                + "<pskc:SerialNo>&xxe;</pskc:SerialNo></pskc:DeviceInfo></pskc:KeyPackage></pskc:KeyContainer>";
        http.post().uri("/v1/tenants/{t}/operator/hardware-tokens", ALPHA)
                .headers(h -> h.setBearerAuth(ALPHA_OPERATOR)).contentType(PSKC)
                .bodyValue(xxe.getBytes(StandardCharsets.UTF_8)).exchange()
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("PSKC_INVALID")
                .jsonPath("$.errors[0].message").value(m -> assertThat(m.toString()).contains("DOCTYPE")
                        .doesNotContain("root:"));
        // the portal's key may not deliver tokens
        http.post().uri("/v1/tenants/{t}/operator/hardware-tokens", ALPHA)
                .headers(h -> h.setBearerAuth(ALPHA_PORTAL)).contentType(PSKC)
                .bodyValue(file("plain.pskcxml")).exchange().expectStatus().isForbidden();
        // a key that is not AES-128/192/256 hex
        storeKey("vendor-x", "abcd").expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field")
                .isEqualTo("key");
    }
}
