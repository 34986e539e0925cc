package jp.otpgateway.gateway.verification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import jp.otpgateway.tenant.model.HashAlgorithm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 4226 Appendix D test values. */
class HotpTest {

    static final byte[] SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "counter {0} -> {1}")
    @CsvSource({
        "0, 755224", "1, 287082", "2, 359152", "3, 969429", "4, 338314",
        "5, 254676", "6, 287922", "7, 162583", "8, 399871", "9, 520489",
    })
    void rfc4226Vectors(long counter, String expected) {
        assertThat(Hotp.generate(SECRET, counter, HashAlgorithm.SHA1, 6)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0, 84755224", "1, 94287082"})
    void eightDigitsKeepTheLeadingDigitsOfTheTruncatedValue(long counter, String expected) {
        assertThat(Hotp.generate(SECRET, counter, HashAlgorithm.SHA1, 8)).isEqualTo(expected);
    }
}
