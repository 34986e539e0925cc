package jp.otpgateway.gateway.onboarding;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import jp.otpgateway.gateway.custody.application.port.SeedVault;
import jp.otpgateway.gateway.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

@IntegrationTest
class HardwareTokenImportIT {

    static final MediaType CSV = MediaType.parseMediaType("text/csv");
    static final String SEED_HEX = "3132333435363738393031323334353637383930";

    @Autowired
    WebTestClient http;

    @Autowired
    DatabaseClient db;

    @Autowired
    SeedVault vault;

    /** Twelve-digit serials unlikely to exist from an earlier run of the suite. */
    static long freshSerialBase() {
        return ThreadLocalRandom.current().nextLong(100_000_000_000L, 900_000_000_000L);
    }

    WebTestClient.ResponseSpec upload(String key, String csv) {
        return http.post().uri("/v1/tenants/{t}/operator/hardware-tokens", ALPHA)
                .headers(h -> h.setBearerAuth(key))
                .contentType(CSV)
                .bodyValue(csv)
                .exchange();
    }

    @Test
    void validRowsAreImportedWithTheirSeedSealed() {
        long base = freshSerialBase();
        String csv = "serial,seed_hex,expires_at\n"
                + base + "," + SEED_HEX + ",2031-03-31T23:59:59+09:00\r\n"
                + (base + 1) + "," + SEED_HEX + ",\n";
        upload(ALPHA_OPERATOR, csv).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.imported").isEqualTo(2)
                .jsonPath("$.skipped").isEqualTo(0)
                .jsonPath("$.errorCount").isEqualTo(0);

        Map<String, Object> row = db.sql("SELECT seed_sealed, algorithm, digits, period_seconds, kind, locked, "
                        + "failure_count, last_used_step FROM tokens WHERE tenant_id = :t AND serial = :s")
                .bind("t", ALPHA).bind("s", Long.toString(base)).fetch().one().block(Duration.ofSeconds(5));
        byte[] sealed = toBytes(row.get("seed_sealed"));
        assertThat(HexFormat.of().formatHex(sealed)).doesNotContain(SEED_HEX);
        assertThat(vault.open(ALPHA, Long.toString(base), sealed)).isEqualTo(HexFormat.of().parseHex(SEED_HEX));
        assertThat(row).containsEntry("algorithm", "SHA1").containsEntry("kind", "HARDWARE")
                .containsEntry("locked", false).containsEntry("failure_count", 0).containsEntry("last_used_step", -1L);
    }

    @Test
    void knownSerialsAndRepeatsInTheFileAreSkippedNotDuplicated() {
        long base = freshSerialBase();
        String row = base + "," + SEED_HEX + ",2031-03-31T23:59:59+09:00\n";
        upload(ALPHA_OPERATOR, "serial,seed_hex,expires_at\n" + row + row).expectStatus().isOk()
                .expectBody().jsonPath("$.imported").isEqualTo(1).jsonPath("$.skipped").isEqualTo(1);
        upload(ALPHA_OPERATOR, "serial,seed_hex,expires_at\n" + row).expectStatus().isOk()
                .expectBody().jsonPath("$.imported").isEqualTo(0).jsonPath("$.skipped").isEqualTo(1);
    }

    @Test
    void badLinesAreReportedWithLineNumbersAndDoNotStopTheOthers() {
        long base = freshSerialBase();
        String csv = "serial,seed_hex,expires_at\n"
                + base + "," + SEED_HEX + ",2031-03-31T23:59:59+09:00\n"
                + "\n"
                + "12AB," + SEED_HEX + ",2031-03-31T23:59:59+09:00\n"
                + (base + 1) + ",nothex,2031-03-31T23:59:59+09:00\n"
                + (base + 2) + "," + SEED_HEX + ",2031-03-31T23:59:59+09:00\n";
        upload(ALPHA_OPERATOR, csv).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.imported").isEqualTo(2)
                .jsonPath("$.errorCount").isEqualTo(2)
                .jsonPath("$.errors[0].line").isEqualTo(4)
                .jsonPath("$.errors[0].code").isEqualTo("INVALID_SERIAL")
                .jsonPath("$.errors[1].line").isEqualTo(5)
                .jsonPath("$.errors[1].code").isEqualTo("INVALID_SEED");
    }

    @Test
    void tensOfThousandsOfRowsImportInOneRequest() {
        long base = freshSerialBase();
        int rows = 20_000;
        StringBuilder csv = new StringBuilder(rows * 80).append("serial,seed_hex,expires_at,algorithm,digits,period\n");
        for (int i = 0; i < rows; i++) {
            csv.append(base + i).append(',').append(SEED_HEX).append(",2031-03-31T23:59:59+09:00,SHA1,8,60\n");
        }
        upload(ALPHA_OPERATOR, csv.toString()).expectStatus().isOk()
                .expectBody().jsonPath("$.imported").isEqualTo(rows).jsonPath("$.errorCount").isEqualTo(0);
        Long stored = db.sql("SELECT count(*) AS n FROM tokens WHERE tenant_id = :t AND serial BETWEEN :lo AND :hi")
                .bind("t", ALPHA).bind("lo", Long.toString(base)).bind("hi", Long.toString(base + rows - 1))
                .map((r, m) -> r.get("n", Long.class)).one().block(Duration.ofSeconds(5));
        assertThat(stored).isEqualTo(rows);
    }

    @Test
    void wrongHeaderRejectsTheWholeFileWith400AndImportsNothing() {
        long base = freshSerialBase();
        upload(ALPHA_OPERATOR, "serial,seed\n" + base + "," + SEED_HEX + "\n")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("VALIDATION_FAILED").jsonPath("$.errors[0].field").isEqualTo("header");
        Long stored = db.sql("SELECT count(*) AS n FROM tokens WHERE tenant_id = :t AND serial = :s")
                .bind("t", ALPHA).bind("s", Long.toString(base)).map((r, m) -> r.get("n", Long.class)).one()
                .block(Duration.ofSeconds(5));
        assertThat(stored).isZero();
    }

    @Test
    void emptyFileIs400() {
        upload(ALPHA_OPERATOR, "\n\n").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void portalKeyCannotImport() {
        upload(ALPHA_PORTAL, "serial,seed_hex,expires_at\n").expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("FORBIDDEN");
    }

    @Test
    void jsonIsNotADeliveryFile() {
        http.post().uri("/v1/tenants/{t}/operator/hardware-tokens", ALPHA)
                .headers(h -> h.setBearerAuth(ALPHA_OPERATOR))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isEqualTo(415);
    }

    @Test
    void noSeedEverAppearsInTheResponse() {
        long base = freshSerialBase();
        String csv = "serial,seed_hex,expires_at\n" + base + "," + SEED_HEX + "zz,2031-03-31T23:59:59+09:00\n";
        String body = new String(upload(ALPHA_OPERATOR, csv).expectStatus().isOk().expectBody().returnResult()
                .getResponseBodyContent(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(body).doesNotContain(SEED_HEX).contains("INVALID_SEED");
    }

    static byte[] toBytes(Object value) {
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        return (byte[]) value;
    }

}
