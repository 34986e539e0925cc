package jp.otpgateway.gateway.onboarding;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Files as Japanese back offices make and open them: a migration file exported from Excel in
 * Windows-31J with quotes, commas and a line break inside a name, CRLF; a delivery file in UTF-8
 * with a byte-order mark; bytes that are not the declared charset refuse the whole file with their
 * line; and a name that a spreadsheet would run as a formula comes back from an export as text.
 */
@IntegrationTest
class JapaneseCsvFilesIT extends TwoTenantsTest {

    static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };
    static final Charset CP932 = Charset.forName("windows-31j");

    static String id() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    WebTestClient.ResponseSpec upload(String path, byte[] file, String contentType) {
        return http.post().uri("/v1/tenants/{t}/operator/" + path, alpha.tenant())
                .headers(h -> h.setBearerAuth(ALPHA_OPERATOR))
                .contentType(MediaType.parseMediaType(contentType))
                .bodyValue(file).exchange();
    }

    List<Map<String, Object>> contractUsers(String contract) {
        return http.get().uri("/v1/tenants/{t}/contracts/{c}/users", alpha.tenant(), contract)
                .headers(h -> h.setBearerAuth(ALPHA_PORTAL)).exchange().expectStatus().isOk()
                .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {
                }).returnResult().getResponseBody();
    }

    @Test
    void anExcelMigrationFileInShiftJisKeepsItsNamesAndLinesAsWritten() {
        String serial1 = alpha.token();
        String serial2 = alpha.token();
        String serial3 = alpha.token();
        String contract = "SJ-" + id();
        String takahashi = "s1-" + id();
        String comma = "s2-" + id();
        String broken = "s3-" + id();
        String kana = "s4-" + id();
        String csv = "login_id,contract_id,name,role,serial\r\n"
                + takahashi + "," + contract + ",髙橋①～,MASTER," + serial1 + "\r\n"
                + comma + "," + contract + ",\"山田, \"\"太郎\"\"\",GENERAL," + serial1 + "\r\n"
                + broken + "," + contract + ",\"鈴木\r\n次郎\",GENERAL," + serial2 + "\r\n"
                + kana + "," + contract + ",ﾔﾏﾀﾞ ﾊﾅｺ,GENERAL," + serial3 + "\r\n";
        Map<String, Object> report = upload("migrations", csv.getBytes(CP932), "text/csv; charset=Shift_JIS")
                .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        assertThat(report).containsEntry("imported", 3).containsEntry("errorCount", 1);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errors = (List<Map<String, Object>>) report.get("errors");
        // The name with a line break is refused (a control character); the line is where the record starts,
        // and the next record's line is counted after the break.
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("line", 4).containsEntry("code", "INVALID_NAME");
        });
        assertThat(contractUsers(contract)).extracting(u -> u.get("name"))
                .containsExactlyInAnyOrder("髙橋①～", "山田, \"太郎\"", "ﾔﾏﾀﾞ ﾊﾅｺ");
    }

    @Test
    void aDeliveryFileFromExcelInUtf8WithAByteOrderMarkAndCrlf() {
        String serial = Long.toString(100_000_000_000L + (long) (Math.random() * 800_000_000_000L));
        byte[] body = ("\uFEFF\"serial\",\"seed_hex\",\"expires_at\"\r\n\"" + serial + "\",\"" + OtpApi.SEED_HEX
                + "\",\"2031-03-31T23:59:59+09:00\"\r\n").getBytes(StandardCharsets.UTF_8);
        upload("hardware-tokens", body, "text/csv").expectStatus().isOk().expectBody()
                .jsonPath("$.imported").isEqualTo(1).jsonPath("$.errorCount").isEqualTo(0);
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        alpha.activate(login, serial, alpha.code()).expectStatus().isOk();
    }

    @Test
    void bytesThatAreNotTheDeclaredCharsetRefuseTheWholeFileWithTheirLine() {
        String first = Long.toString(100_000_000_000L + (long) (Math.random() * 800_000_000_000L));
        byte[] head = ("serial,seed_hex,expires_at\n" + first + "," + OtpApi.SEED_HEX + ",2031-03-31T23:59:59+09:00\n"
                + "12345678,").getBytes(StandardCharsets.UTF_8);
        byte[] bad = "髙".getBytes(CP932);
        byte[] file = new byte[head.length + bad.length + 1];
        System.arraycopy(head, 0, file, 0, head.length);
        System.arraycopy(bad, 0, file, head.length, bad.length);
        file[file.length - 1] = '\n';
        upload("hardware-tokens", file, "text/csv; charset=UTF-8").expectStatus().isBadRequest().expectBody()
                .jsonPath("$.code").isEqualTo("VALIDATION_FAILED")
                .jsonPath("$.errors[0].field").isEqualTo("line 3")
                .jsonPath("$.errors[0].code").isEqualTo("INVALID_ENCODING");
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        alpha.activate(login, first, alpha.code()).expectStatus().isNotFound(); // nothing of the file was kept
        upload("hardware-tokens", "serial\n1".getBytes(StandardCharsets.UTF_8), "text/csv; charset=EUC-JP")
                .expectStatus().isEqualTo(415);
    }

    @Test
    void aNameThatIsAFormulaComesBackFromTheShipmentExportAsText() {
        String login = "f-" + id();
        String formula = "=HYPERLINK(\"http://evil.example\",\"髙橋\")";
        http.put().uri("/v1/tenants/{t}/users/{l}", alpha.tenant(), login)
                .headers(h -> h.setBearerAuth(ALPHA_PORTAL)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("contractId", OtpApi.newContract(), "name", formula, "role", "GENERAL"))
                .exchange().expectStatus().isCreated();
        alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "HARDWARE"), login).expectStatus().isCreated();

        byte[] utf8 = http.get().uri("/v1/tenants/{t}/operator/shipments?status=REQUESTED", alpha.tenant())
                .headers(h -> h.setBearerAuth(ALPHA_OPERATOR)).accept(MediaType.parseMediaType("text/csv"))
                .exchange().expectStatus().isOk()
                .expectHeader().contentType("text/csv;charset=UTF-8")
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(utf8).startsWith(0xEF, 0xBB, 0xBF);
        String text = new String(utf8, 3, utf8.length - 3, StandardCharsets.UTF_8);
        assertThat(text).startsWith("\"shipment_id\",\"login_id\",\"contract_id\",\"name\",");
        assertThat(text).contains(",\"" + login + "\",").contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"髙橋\"\")\",");

        byte[] sjis = http.get().uri("/v1/tenants/{t}/operator/shipments?status=REQUESTED", alpha.tenant())
                .headers(h -> h.setBearerAuth(ALPHA_OPERATOR))
                .accept(MediaType.parseMediaType("text/csv; charset=Shift_JIS"))
                .exchange().expectStatus().isOk()
                .expectHeader().contentType("text/csv;charset=windows-31j")
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(new String(sjis, CP932)).contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"髙橋\"\")\",");
    }
}
