package jp.otpgateway.gateway.onboarding.adapter.pskc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static jp.otpgateway.gateway.support.PskcFixtures.file;
import static jp.otpgateway.gateway.support.PskcFixtures.sidecar;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import jp.otpgateway.gateway.onboarding.domain.DeliveredToken;
import jp.otpgateway.gateway.onboarding.domain.ImportedToken;
import jp.otpgateway.gateway.onboarding.domain.PskcDelivery;
import jp.otpgateway.gateway.onboarding.domain.PskcDocument;
import jp.otpgateway.gateway.verification.domain.Totp;
import jp.otpgateway.gateway.verification.domain.TotpParameters;
import jp.otpgateway.tenant.model.HashAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * PSKC files that no one here wrote (python-pskc 1.4, see src/test/resources/pskc/README.md), read
 * with their keys from the sidecars: every seed checked by the code python-pskc's generator
 * computed for it, the tampered file refused whole, wrong keys and passwords refused, seeds in clear
 * only where allowed, and the XML reader's defences against DTDs, entities and depth.
 */
class PskcFilesTest {

    static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");
    static final DeliveredToken.Defaults DEFAULTS = new DeliveredToken.Defaults(Period.ofYears(5),
            ZoneId.of("Asia/Tokyo"), HashAlgorithm.SHA1, 8, 60);



    static PskcDocument document(String name) throws PskcXml.Malformed {
        return PskcXml.read(file(name));
    }

    static List<ImportedToken> valid(PskcDelivery.Result result) {
        assertThat(result).isInstanceOf(PskcDelivery.Result.Rows.class);
        List<DeliveredToken.Row> rows = ((PskcDelivery.Result.Rows) result).rows();
        assertThat(rows).allSatisfy(r -> assertThat(r).isInstanceOf(DeliveredToken.Row.Valid.class));
        return rows.stream().map(r -> ((DeliveredToken.Row.Valid) r).token()).toList();
    }

    /** Each key of the sidecar is in the import, with its seed, parameters, expiry and the code python-pskc's side computed. */
    static void matchesSidecar(List<ImportedToken> tokens, JsonNode sidecar) {
        assertThat(tokens).hasSize(sidecar.get("keys").size());
        long at = sidecar.get("totp_check_time").asLong();
        for (JsonNode key : sidecar.get("keys")) {
            ImportedToken t = tokens.stream().filter(x -> x.serial().equals(key.get("serial").asString())).findFirst()
                    .orElseThrow();
            assertThat(HexFormat.of().formatHex(t.seed())).isEqualTo(key.get("seed_hex").asString());
            assertThat(t.algorithm().name()).isEqualTo(key.get("algorithm").asString());
            assertThat(t.digits()).isEqualTo(key.get("digits").asInt());
            assertThat(t.periodSeconds()).isEqualTo(key.get("period").asInt());
            assertThat(t.expiresAt()).isEqualTo(Instant.parse(key.get("expires_at").asString()));
            assertThat(Totp.codeAt(t.seed(), new TotpParameters(t.algorithm(), t.digits(),
                    Duration.ofSeconds(t.periodSeconds()), 0), Instant.ofEpochSecond(at)))
                    .isEqualTo(key.get("totp_at_" + at).asString());
        }
    }

    static byte[] preShared(JsonNode sidecar) {
        return HexFormat.of().parseHex(sidecar.get("encryption").get("key_hex").asString());
    }

    @Test
    void aPreSharedKeyFileOpensWithItsKey() throws Exception {
        JsonNode sidecar = sidecar("psk-aes128-hmacsha1");
        PskcDocument doc = document("psk-aes128-hmacsha1.pskcxml");
        assertThat(doc.protection()).isEqualTo(new PskcDocument.Protection.PreSharedKey("psk-aes128-hmacsha1"));
        matchesSidecar(valid(PskcDelivery.decode(doc, preShared(sidecar), false, NOW, DEFAULTS)), sidecar);
    }

    @Test
    void aPasswordFileOpensWithTheKeyDerivedFromItsPassword() throws Exception {
        JsonNode sidecar = sidecar("pbkdf2-aes128");
        PskcDocument doc = document("pbkdf2-aes128.pskcxml");
        byte[] key = PskcDelivery.derive((PskcDocument.Protection.Password) doc.protection(),
                sidecar.get("encryption").get("password").asString().toCharArray()).orElseThrow();
        assertThat(HexFormat.of().formatHex(key)).isEqualTo(sidecar.get("encryption").get("derived_key_hex").asString());
        matchesSidecar(valid(PskcDelivery.decode(doc, key, false, NOW, DEFAULTS)), sidecar);
    }

    @Test
    void pbkdf2ParametersAHostileFileCouldAbuseAreNotUsed() {
        char[] password = "pw".toCharArray();
        byte[] salt = new byte[16];
        assertThat(PskcDelivery.derive(new PskcDocument.Protection.Password(salt, 1000, 16, null), password)).isPresent();
        assertThat(PskcDelivery.derive(new PskcDocument.Protection.Password(salt, 1000, 16,
                "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256"), password)).isPresent();
        assertThat(PskcDelivery.derive(new PskcDocument.Protection.Password(salt, 1000, 16, "urn:unknown-prf"), password))
                .isEmpty();
        assertThat(PskcDelivery.derive(new PskcDocument.Protection.Password(salt, 1000, 7, null), password)).isEmpty();
        assertThat(PskcDelivery.derive(new PskcDocument.Protection.Password(salt, 0, 16, null), password)).isEmpty();
        assertThat(PskcDelivery.derive(new PskcDocument.Protection.Password(salt, 10_000_001, 16, null), password))
                .isEmpty(); // would keep a worker busy for minutes
        assertThat(PskcDelivery.derive(new PskcDocument.Protection.Password(new byte[0], 1000, 16, null), password))
                .isEmpty();
    }

    @Test
    void aWrongKeyOrPasswordRefusesTheWholeFile() throws Exception {
        byte[] wrong = preShared(sidecar("psk-aes128-hmacsha1"));
        wrong[0] ^= 1;
        assertThat(PskcDelivery.decode(document("psk-aes128-hmacsha1.pskcxml"), wrong, false, NOW, DEFAULTS))
                .isInstanceOf(PskcDelivery.Result.Refused.class);
        PskcDocument doc = document("pbkdf2-aes128.pskcxml");
        byte[] derived = PskcDelivery.derive((PskcDocument.Protection.Password) doc.protection(),
                "not-the-password".toCharArray()).orElseThrow();
        assertThat(PskcDelivery.decode(doc, derived, false, NOW, DEFAULTS))
                .isInstanceOf(PskcDelivery.Result.Refused.class);
        assertThat(PskcDelivery.decode(doc, null, false, NOW, DEFAULTS)).isInstanceOf(PskcDelivery.Result.Refused.class);
    }

    @Test
    void oneTamperedValueMacRefusesTheWholeFileNamingItsKeyPackage() throws Exception {
        JsonNode sidecar = sidecar("bad-mac");
        PskcDelivery.Result result = PskcDelivery.decode(document("bad-mac.pskcxml"), preShared(sidecar), false, NOW,
                DEFAULTS);
        assertThat(result).isInstanceOf(PskcDelivery.Result.Refused.class);
        // the tampered key is the third KeyPackage; its line is where that KeyPackage starts
        long line = document("bad-mac.pskcxml").packages().get(sidecar.get("tampered").get("key_index").asInt()).line();
        assertThat(((PskcDelivery.Result.Refused) result).detail()).contains("line " + line).contains("does not check");
    }

    @Test
    void seedsInClearOnlyWhereTheTenantTakesThem() throws Exception {
        JsonNode sidecar = sidecar("plain");
        PskcDocument doc = document("plain.pskcxml");
        assertThat(PskcDelivery.decode(doc, null, false, NOW, DEFAULTS)).isInstanceOf(PskcDelivery.Result.Refused.class);
        matchesSidecar(valid(PskcDelivery.decode(doc, null, true, NOW, DEFAULTS)), sidecar);
    }

    @Test
    void eachKeyPackageIsJudgedOnItsOwnHotpIncluded() throws Exception {
        String plain = new String(file("plain.pskcxml"), StandardCharsets.UTF_8);
        // the first key made HOTP, the second 7 digits
        String hotp = plain.replaceFirst("urn:ietf:params:xml:ns:keyprov:pskc:totp", "urn:ietf:params:xml:ns:keyprov:pskc:hotp");
        int second = hotp.indexOf("Length=\"8\"", hotp.indexOf("Length=\"8\"") + 1);
        String edited = hotp.substring(0, second) + "Length=\"7\"" + hotp.substring(second + "Length=\"8\"".length());
        PskcDocument doc = PskcXml.read(edited.getBytes(StandardCharsets.UTF_8));
        List<DeliveredToken.Row> rows = ((PskcDelivery.Result.Rows) PskcDelivery.decode(doc, null, true, NOW, DEFAULTS))
                .rows();
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0)).isInstanceOfSatisfying(DeliveredToken.Row.Invalid.class, r -> {
            assertThat(r.error().code()).isEqualTo("UNSUPPORTED_ALGORITHM");
            assertThat(r.error().line()).isEqualTo(doc.packages().get(0).line());
        });
        assertThat(rows.get(1)).isInstanceOfSatisfying(DeliveredToken.Row.Invalid.class,
                r -> assertThat(r.error().code()).isEqualTo("INVALID_DIGITS"));
        assertThat(rows.subList(2, 5)).allSatisfy(r -> assertThat(r).isInstanceOf(DeliveredToken.Row.Valid.class));
    }

    @Test
    void theSuiteNamesTheHashWhereAVendorGivesOne() {
        assertThat(PskcDelivery.decode(new PskcDocument(new PskcDocument.Protection.None(), java.util.Optional.empty(),
                List.of(new PskcDocument.KeyPackage(3, "123456789012", PskcDelivery.TOTP, "HMAC-SHA256", 6, "DECIMAL",
                        30, 0L, null, new PskcDocument.Secret.Plain(new byte[32])))), null, true, NOW, DEFAULTS))
                .satisfies(r -> assertThat(valid(r)).singleElement().satisfies(t -> {
                    assertThat(t.algorithm()).isEqualTo(HashAlgorithm.SHA256);
                    assertThat(t.digits()).isEqualTo(6);
                    assertThat(t.periodSeconds()).isEqualTo(30);
                    assertThat(t.expiresAt()).isEqualTo(NOW.atZone(ZoneId.of("Asia/Tokyo")).plusYears(5).toInstant());
                }));
    }

    static final String HEAD = "<?xml version=\"1.0\"?>\n";
    static final String CONTAINER = "<pskc:KeyContainer xmlns:pskc=\"urn:ietf:params:xml:ns:keyprov:pskc\" Version=\"1.0\">";

    @ParameterizedTest
    @ValueSource(strings = {
        // billion laughs: entities declared in an internal DTD
        HEAD + "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
                + CONTAINER + "<pskc:KeyPackage><pskc:DeviceInfo><pskc:SerialNo>&lol3;</pskc:SerialNo></pskc:DeviceInfo>"
                + "</pskc:KeyPackage></pskc:KeyContainer>",
        // XXE: an external entity reading a local file
        HEAD + "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" + CONTAINER
                + "<pskc:KeyPackage><pskc:DeviceInfo><pskc:SerialNo>&xxe;</pskc:SerialNo></pskc:DeviceInfo>"
                + "</pskc:KeyPackage></pskc:KeyContainer>",
        // an external DTD
        HEAD + "<!DOCTYPE x SYSTEM \"http://127.0.0.1:9/evil.dtd\">" + CONTAINER + "</pskc:KeyContainer>",
        // an entity without a DTD
        HEAD + CONTAINER + "<pskc:KeyPackage><pskc:DeviceInfo><pskc:SerialNo>&undeclared;</pskc:SerialNo>"
                + "</pskc:DeviceInfo></pskc:KeyPackage></pskc:KeyContainer>",
        "not xml at all",
        HEAD + "<KeyContainer/>",
        HEAD + CONTAINER + "</pskc:KeyContainer>",
    })
    void hostileOrForeignXmlIsRefusedBeforeAnythingIsRead(String xml) {
        assertThatThrownBy(() -> PskcXml.read(xml.getBytes(StandardCharsets.UTF_8))).isInstanceOf(PskcXml.Malformed.class)
                .hasMessageNotContaining("root:");
    }

    @Test
    void aSeedThatIsNotStrictBase64IsRefusedNotGuessedAt() {
        String plain = new String(file("plain.pskcxml"), StandardCharsets.UTF_8);
        int at = plain.indexOf("<pskc:PlainValue>") + "<pskc:PlainValue>".length();
        String broken = plain.substring(0, at) + "!" + plain.substring(at);
        assertThatThrownBy(() -> PskcXml.read(broken.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PskcXml.Malformed.class).hasMessageContaining("not base64");
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        String deep = "<a>".repeat(PskcXml.MAX_DEPTH + 1) + "</a>".repeat(PskcXml.MAX_DEPTH + 1);
        assertThatThrownBy(() -> PskcXml.read((HEAD + CONTAINER + deep + "</pskc:KeyContainer>")
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(PskcXml.Malformed.class).hasMessageContaining("deeper");
    }

    @Test
    void theLineOfEachKeyPackageIsWhereItStarts() throws Exception {
        String text = new String(file("psk-aes128-hmacsha1.pskcxml"), StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        for (PskcDocument.KeyPackage p : document("psk-aes128-hmacsha1.pskcxml").packages()) {
            assertThat(lines.get((int) p.line() - 1)).contains("<pskc:KeyPackage>");
        }
        assertThat(document("psk-aes128-hmacsha1.pskcxml").packages()).extracting(PskcDocument.KeyPackage::serial)
                .containsExactly("2540118479", "10665270832", "5953870086", "477329592354", "773048111320");
    }
}
