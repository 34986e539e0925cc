package jp.otpgateway.gateway.verification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import jp.otpgateway.tenant.model.HashAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6238 Appendix B test vectors (8 digits, 30-second steps), and the window of R1. */
class TotpTest {

    static byte[] seedFor(HashAlgorithm algorithm) {
        String ascii = switch (algorithm) {
            case SHA1 -> "12345678901234567890";
            case SHA256 -> "12345678901234567890123456789012";
            case SHA512 -> "1234567890123456789012345678901234567890123456789012345678901234";
        };
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest(name = "{1} at {0} -> {2}")
    @CsvSource({
        "59, SHA1, 94287082", "59, SHA256, 46119246", "59, SHA512, 90693936",
        "1111111109, SHA1, 07081804", "1111111109, SHA256, 68084774", "1111111109, SHA512, 25091201",
        "1111111111, SHA1, 14050471", "1111111111, SHA256, 67062674", "1111111111, SHA512, 99943326",
        "1234567890, SHA1, 89005924", "1234567890, SHA256, 91819424", "1234567890, SHA512, 93441116",
        "2000000000, SHA1, 69279037", "2000000000, SHA256, 90698825", "2000000000, SHA512, 38618901",
        "20000000000, SHA1, 65353130", "20000000000, SHA256, 77737706", "20000000000, SHA512, 47863826",
    })
    void rfc6238Vectors(long epochSecond, HashAlgorithm algorithm, String expected) {
        TotpParameters p = new TotpParameters(algorithm, 8, Duration.ofSeconds(30), 0);
        assertThat(Totp.codeAt(seedFor(algorithm), p, Instant.ofEpochSecond(epochSecond))).isEqualTo(expected);
    }

    static final byte[] SEED = seedFor(HashAlgorithm.SHA1);
    static final TotpParameters SIXTY_SECONDS_WINDOW_ONE = new TotpParameters(HashAlgorithm.SHA1, 8, Duration.ofSeconds(60), 1);
    static final Instant NOW = Instant.parse("2026-11-21T06:00:30Z");

    String codeOfStepOffset(int offset) {
        return Totp.codeAt(SEED, SIXTY_SECONDS_WINDOW_ONE, NOW.plusSeconds(60L * offset));
    }

    @Test
    void currentCodeMatchesItsStep() {
        long step = SIXTY_SECONDS_WINDOW_ONE.stepAt(NOW);
        assertThat(Totp.matchingStep(SEED, SIXTY_SECONDS_WINDOW_ONE, codeOfStepOffset(0), NOW)).hasValue(step);
    }

    @Test
    void codesOneStepEitherSideAreInsideTheWindow() {
        long step = SIXTY_SECONDS_WINDOW_ONE.stepAt(NOW);
        assertThat(Totp.matchingStep(SEED, SIXTY_SECONDS_WINDOW_ONE, codeOfStepOffset(-1), NOW)).hasValue(step - 1);
        assertThat(Totp.matchingStep(SEED, SIXTY_SECONDS_WINDOW_ONE, codeOfStepOffset(1), NOW)).hasValue(step + 1);
    }

    @Test
    void codesTwoStepsAwayAreOutsideAWindowOfOne() {
        assertThat(Totp.matchingStep(SEED, SIXTY_SECONDS_WINDOW_ONE, codeOfStepOffset(-2), NOW)).isEmpty();
        assertThat(Totp.matchingStep(SEED, SIXTY_SECONDS_WINDOW_ONE, codeOfStepOffset(2), NOW)).isEmpty();
    }

    @Test
    void windowEdgeFollowsTheStepBoundaryNotTheSecondsSinceTheCode() {
        TotpParameters exact = new TotpParameters(HashAlgorithm.SHA1, 8, Duration.ofSeconds(60), 0);
        Instant lastSecondOfStep = Instant.parse("2026-11-21T06:00:59Z");
        String code = Totp.codeAt(SEED, exact, lastSecondOfStep);
        assertThat(Totp.matchingStep(SEED, exact, code, lastSecondOfStep)).isPresent();
        assertThat(Totp.matchingStep(SEED, exact, code, lastSecondOfStep.plusSeconds(1))).isEmpty();
    }

    @Test
    void wrongCodeMatchesNoStep() {
        String right = codeOfStepOffset(0);
        String wrong = (right.charAt(0) == '9' ? "0" : "9") + right.substring(1);
        assertThat(Totp.matchingStep(SEED, SIXTY_SECONDS_WINDOW_ONE, wrong, NOW)).isEmpty();
    }

    @Test
    void sixDigitCodeNeverMatchesAnEightDigitToken() {
        assertThat(Totp.matchingStep(SEED, SIXTY_SECONDS_WINDOW_ONE, codeOfStepOffset(0).substring(2), NOW)).isEmpty();
    }
}
