package jp.otpgateway.gateway.verification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OtpInputTest {

    @Test
    void asciiDigitsAreReadAsTheyAre() {
        assertThat(OtpInput.read("01234567", false)).hasValue("01234567");
        assertThat(OtpInput.read("123456", true)).hasValue("123456");
    }

    @Test
    void fullWidthDigitsAreNormalisedWhenTheTenantAllowsIt() {
        assertThat(OtpInput.read("１２３４５６７８", true)).hasValue("12345678");
        assertThat(OtpInput.read("1２3４5６7８", true)).hasValue("12345678");
    }

    @Test
    void fullWidthDigitsAreMalformedWhenTheTenantDoesNotAllowIt() {
        assertThat(OtpInput.read("１２３４５６７８", false)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12345", "123456789", "1234 678", "1234567a", "-1234567", "+1234567",
        "١٢٣٤٥٦٧٨", "१२३४५६७८", "1234567\u0000", "12345678\n", "1.234567", "1e7"})
    void anythingButSixToEightDigitsIsMalformed(String input) {
        assertThat(OtpInput.read(input, true)).isEmpty();
    }

    @Test
    void nullIsMalformed() {
        assertThat(OtpInput.read(null, true)).isEmpty();
    }
}
