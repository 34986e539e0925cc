package jp.otpgateway.gateway.provisioning.domain;

import jp.otpgateway.gateway.lifecycle.domain.SoftwareFields;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import jp.otpgateway.gateway.shared.domain.Validation;
import jp.otpgateway.tenant.model.HashAlgorithm;
import jp.otpgateway.tenant.model.Tokens;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SoftwareDomainTest {

    /** RFC 4648 §10 test vectors, without the padding authenticator apps do not want. */
    @ParameterizedTest
    @CsvSource({"'', ''", "f, MY", "fo, MZXQ", "foo, MZXW6", "foob, MZXW6YQ", "fooba, MZXW6YTB", "foobar, MZXW6YTBOI"})
    void base32FollowsRfc4648(String text, String encoded) {
        assertThat(Base32.encode(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII))).isEqualTo(encoded);
    }

    @ParameterizedTest
    @CsvSource({"'', ''", "f, MY======", "fooba, mzxw6ytb", "foobar, MZXW6YTBOI======"})
    void base32DecodesWhatAppsAndUsersType(String text, String encoded) {
        assertThat(new String(Base32.decode(encoded), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(text);
    }

    @Test
    void theRfc6238SeedEncodesAsAuthenticatorAppsExpect() {
        byte[] seed = HexFormat.of().parseHex("3132333435363738393031323334353637383930");
        assertThat(Base32.encode(seed)).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }

    @Test
    void theOtpauthUriNamesTheCreditUnionAsIssuerPercentEncoded() {
        byte[] seed = HexFormat.of().parseHex("3132333435363738393031323334353637383930");
        assertThat(OtpauthUri.totp("さくら 信用組合", "243725864", seed, HashAlgorithm.SHA1, 8, 60))
                .isEqualTo("otpauth://totp/%E3%81%95%E3%81%8F%E3%82%89%20%E4%BF%A1%E7%94%A8%E7%B5%84%E5%90%88:243725864"
                        + "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                        + "&issuer=%E3%81%95%E3%81%8F%E3%82%89%20%E4%BF%A1%E7%94%A8%E7%B5%84%E5%90%88"
                        + "&algorithm=SHA1&digits=8&period=60");
    }

    @ParameterizedTest
    @CsvSource({"1234, true", "12345678, true", "123, false", "123456789, false", "12a4, false", "１２３４, true",
        "'', false"})
    void activationPasswordsAreDigitsInTheTenantsRange(String value, boolean valid) {
        Validation v = new Validation();
        Tokens.Software software = new Tokens.Software(java.time.Period.ofYears(5), 4, 8, 5, true,
                java.util.Optional.empty());
        String read = SoftwareFields.activationPassword(v, "activationPassword", value, software, true);
        assertThat(violations(v).isEmpty()).isEqualTo(valid);
        if (valid) {
            assertThat(read).matches("[0-9]{4,8}");
        }
    }

    @Test
    void theAppsIdsHaveTheirExactLengths() {
        Validation v = new Validation();
        assertThat(SoftwareFields.serviceId(v, "serviceId", "10112235")).isEqualTo("10112235");
        assertThat(SoftwareFields.appUserId(v, "appUserId", "999800000001")).isEqualTo("999800000001");
        assertThat(violations(v)).isEmpty();
        SoftwareFields.serviceId(v, "serviceId", "1011223");
        SoftwareFields.appUserId(v, "appUserId", "9998000000010");
        assertThat(violations(v)).extracting(x -> x.field()).containsExactly("serviceId", "appUserId");
    }

    private static java.util.List<jp.otpgateway.gateway.shared.domain.FieldViolation> violations(Validation v) {
        try {
            v.throwIfAny();
            return java.util.List.of();
        } catch (jp.otpgateway.gateway.shared.domain.InvalidInput e) {
            return e.violations();
        }
    }
}
