package jp.otpgateway.gateway.console.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConsoleSessionTest {

    static final Instant NOON = Instant.parse("2026-12-07T03:00:00Z");

    ConsoleSession session() {
        return new ConsoleSession("it-iota", "clerk-01", "it-iota-operator-key", "form-token-123", NOON);
    }

    @Test
    void aSessionEndsEightHoursAfterSignInWhateverItsUse() {
        assertThat(session().expired(NOON.plus(Duration.ofHours(8)).minusSeconds(1))).isFalse();
        assertThat(session().expired(NOON.plus(Duration.ofHours(8)))).isTrue();
    }

    @Test
    void onlyTheSessionsOwnFormTokenIsTaken() {
        assertThat(session().formTokenMatches("form-token-123")).isTrue();
        assertThat(session().formTokenMatches("form-token-124")).isFalse();
        assertThat(session().formTokenMatches("form-token-12")).isFalse();
        assertThat(session().formTokenMatches("")).isFalse();
        assertThat(session().formTokenMatches(null)).isFalse();
        assertThat(ConsoleSession.formTokensMatch(null, null)).isFalse();
    }

    @Test
    void aSignInIsCheckedAgainstTheApisPatternsBeforeItGoesAnywhere() {
        assertThat(ConsoleSession.wellFormed("it-iota", "clerk-01", "it-iota-operator-key")).isTrue();
        assertThat(ConsoleSession.wellFormed("IT-IOTA", "clerk-01", "it-iota-operator-key")).isFalse();
        assertThat(ConsoleSession.wellFormed("it-iota", "窓口 一郎", "it-iota-operator-key")).isFalse();
        assertThat(ConsoleSession.wellFormed("it-iota", "clerk-01", "short")).isFalse();
        assertThat(ConsoleSession.wellFormed("it-iota", "clerk-01", "key with spaces")).isFalse();
        assertThat(ConsoleSession.wellFormed(null, "clerk-01", "it-iota-operator-key")).isFalse();
    }

    @Test
    void theKeyAndTheFormTokenNeverShowWhenASessionIsPrinted() {
        assertThat(session().toString()).doesNotContain("operator-key").doesNotContain("form-token").contains("clerk-01");
    }

    @Test
    void fiveWrongSignInsWithinFifteenMinutesBlockTheAddressUntilTheWindowHasPassed() {
        SignInFailures f = SignInFailures.none(NOON);
        for (int i = 0; i < 4; i++) {
            f = f.plusOne(NOON.plusSeconds(i));
        }
        assertThat(f.blocked(NOON.plusSeconds(5))).isFalse();
        f = f.plusOne(NOON.plusSeconds(60));
        assertThat(f.blocked(NOON.plusSeconds(61))).isTrue();
        assertThat(f.blocked(NOON.plus(Duration.ofMinutes(15)).minusSeconds(1))).isTrue();
        assertThat(f.blocked(NOON.plus(Duration.ofMinutes(15)))).isFalse();
        assertThat(f.plusOne(NOON.plus(Duration.ofMinutes(15))).count()).isEqualTo(1);
    }
}
