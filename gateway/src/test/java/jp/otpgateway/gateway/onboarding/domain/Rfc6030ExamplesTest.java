package jp.otpgateway.gateway.onboarding.domain;

import static jp.otpgateway.gateway.support.PskcFixtures.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import jp.otpgateway.gateway.onboarding.adapter.pskc.PskcXml;
import jp.otpgateway.gateway.onboarding.domain.PskcDocument.Secret;
import jp.otpgateway.tenant.model.HashAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The examples of RFC 6030 itself (its Figures 2–10, as python-pskc's tests reproduce them:
 * src/test/resources/pskc/rfc6030/README.md), read with the keys and the password the RFC gives.
 * Their keys are HOTP, which the gateway does not verify: each is reported UNSUPPORTED_ALGORITHM,
 * but only after the file's MAC checked and its values decrypted to the secret the RFC states.
 */
class Rfc6030ExamplesTest {

    static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");
    static final DeliveredToken.Defaults DEFAULTS = new DeliveredToken.Defaults(Period.ofYears(5),
            ZoneId.of("Asia/Tokyo"), HashAlgorithm.SHA1, 8, 60);
    /** The secret of Figures 6 and 7 (RFC 6030 §6.1, §6.2): "12345678901234567890". */
    static final String RFC_SECRET = "3132333435363738393031323334353637383930";
    /** Figure 6's pre-shared key and MAC key, as the RFC gives them. */
    static final byte[] FIGURE6_KEY = HexFormat.of().parseHex("12345678901234567890123456789012");

    static PskcDocument figure(int n) throws PskcXml.Malformed {
        return PskcXml.read(file("rfc6030/figure" + n + ".pskcxml"));
    }

    static List<DeliveredToken.Row> rows(PskcDelivery.Result result) {
        assertThat(result).isInstanceOf(PskcDelivery.Result.Rows.class);
        return ((PskcDelivery.Result.Rows) result).rows();
    }

    static void everyKeyIsReportedAsNotTimeBased(List<DeliveredToken.Row> rows) {
        assertThat(rows).isNotEmpty().allSatisfy(r -> {
            assertThat(r).isInstanceOf(DeliveredToken.Row.Invalid.class);
            assertThat(((DeliveredToken.Row.Invalid) r).error().code()).isEqualTo("UNSUPPORTED_ALGORITHM");
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5, 10})
    void plainFiguresAreRefusedWholeUnlessTheTenantTakesSeedsInClearAndThenHotpIsReportedPerKey(int n) throws Exception {
        PskcDocument doc = figure(n);
        assertThat(doc.protection()).isInstanceOf(PskcDocument.Protection.None.class);
        assertThat(PskcDelivery.decode(doc, new byte[0], false, NOW, DEFAULTS)).isInstanceOf(PskcDelivery.Result.Refused.class);
        everyKeyIsReportedAsNotTimeBased(rows(PskcDelivery.decode(doc, new byte[0], true, NOW, DEFAULTS)));
    }

    @Test
    void figure3sSecretAndSerialAreReadAsTheRfcGivesThem() throws Exception {
        PskcDocument.KeyPackage key = figure(3).packages().get(0);
        assertThat(key.serial()).isEqualTo("987654321");
        assertThat(key.algorithm()).isEqualTo(PskcDelivery.HOTP);
        assertThat(key.digits()).isEqualTo(8);
        assertThat(HexFormat.of().formatHex(((Secret.Plain) key.secret()).value())).isEqualTo(RFC_SECRET);
    }

    @Test
    void figure6OpensWithThePreSharedKeyOfTheRfcAndItsMacChecks() throws Exception {
        PskcDocument doc = figure(6);
        assertThat(doc.protection()).isEqualTo(new PskcDocument.Protection.PreSharedKey("Pre-shared-key"));
        Secret.Sealed sealed = (Secret.Sealed) doc.packages().get(0).secret();
        assertThat(HexFormat.of().formatHex(PskcDelivery.decrypt(sealed.value(), FIGURE6_KEY).orElseThrow())).isEqualTo(RFC_SECRET);
        assertThat(HexFormat.of().formatHex(PskcDelivery.decrypt(doc.mac().orElseThrow().key(), FIGURE6_KEY).orElseThrow()))
                .isEqualTo("1122334455667788990011223344556677889900");
        everyKeyIsReportedAsNotTimeBased(rows(PskcDelivery.decode(doc, FIGURE6_KEY, false, NOW, DEFAULTS)));
        byte[] wrong = FIGURE6_KEY.clone();
        wrong[0] ^= 1;
        assertThat(PskcDelivery.decode(doc, wrong, false, NOW, DEFAULTS)).isInstanceOf(PskcDelivery.Result.Refused.class);
    }

    @Test
    void figure7OpensWithThePasswordOfTheRfcGivingItsDerivedKey() throws Exception {
        PskcDocument doc = figure(7);
        PskcDocument.Protection.Password p = (PskcDocument.Protection.Password) doc.protection();
        byte[] key = PskcDelivery.derive(p, "qwerty".toCharArray()).orElseThrow();
        assertThat(HexFormat.of().formatHex(key)).isEqualTo("651e63cd57008476af1ff6422cd02e41");
        Secret.Sealed sealed = (Secret.Sealed) doc.packages().get(0).secret();
        assertThat(HexFormat.of().formatHex(PskcDelivery.decrypt(sealed.value(), key).orElseThrow())).isEqualTo(RFC_SECRET);
        everyKeyIsReportedAsNotTimeBased(rows(PskcDelivery.decode(doc, key, false, NOW, DEFAULTS)));
        byte[] other = PskcDelivery.derive(p, "qwertz".toCharArray()).orElseThrow();
        assertThat(PskcDelivery.decode(doc, other, false, NOW, DEFAULTS)).isInstanceOf(PskcDelivery.Result.Refused.class);
    }

    @Test
    void figure4CarriesNoSecretOnlyAReferenceToTheVendorsMasterKeyAndIsReportedPerKey() throws Exception {
        PskcDocument doc = figure(4);
        assertThat(doc.packages().get(0).secret()).isInstanceOf(Secret.Missing.class);
        everyKeyIsReportedAsNotTimeBased(rows(PskcDelivery.decode(doc, new byte[0], false, NOW, DEFAULTS)));
    }

    @Test
    void figure8sAsymmetricTransportKeyIsNotTakenAndTheWholeFileIsRefused() {
        assertThatThrownBy(() -> figure(8)).isInstanceOf(PskcXml.Malformed.class)
                .hasMessageContaining("neither a pre-shared key");
    }

    @Test
    void figure9IsReadLikeAPlainFileItsSignatureNotBeingTheGatewaysProtection() throws Exception {
        PskcDocument doc = figure(9);
        assertThat(doc.protection()).isInstanceOf(PskcDocument.Protection.None.class);
        assertThat(PskcDelivery.decode(doc, new byte[0], false, NOW, DEFAULTS)).isInstanceOf(PskcDelivery.Result.Refused.class);
        everyKeyIsReportedAsNotTimeBased(rows(PskcDelivery.decode(doc, new byte[0], true, NOW, DEFAULTS)));
    }
}
