package jp.otpgateway.gateway.verification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import jp.otpgateway.tenant.model.HashAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The drift rules (RFC 6238 §6): the window's centre, what an acceptance teaches, the resync's pair. */
class DriftTest {

    static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    static final TotpParameters P = new TotpParameters(HashAlgorithm.SHA1, 8, Duration.ofSeconds(60), 1);
    static final Instant NOW = Instant.parse("2026-12-06T06:00:30Z");
    static final long CURRENT = P.stepAt(NOW);

    static String shown(int fast) {
        return Totp.codeAt(SEED, P, NOW.plusSeconds(60L * fast));
    }

    static Drift learnt(Drift from, int... offsets) {
        Drift d = from;
        for (int offset : offsets) {
            d = d.after(CURRENT + offset, CURRENT, 10);
        }
        return d;
    }

    @ParameterizedTest(name = "accepted {0} steps from now, bound {1} -> {2}")
    @CsvSource({"0, 10, 0", "1, 10, 1", "3, 3, 3", "4, 3, 3", "2, 0, 0"})
    void aCodeNewerThanTheCentreMovesTheWindowAtOnceWithinTheBound(int offset, int bound, int learned) {
        assertThat(Drift.NONE.after(CURRENT + offset, CURRENT, bound)).isEqualTo(new Drift(learned, 0));
    }

    @Test
    void codesOlderThanTheCentreMoveItBackOnlyOnTheThirdInARow() {
        // a late typist among quick ones: the window stays
        assertThat(learnt(Drift.NONE, -1)).isEqualTo(new Drift(0, 1));
        assertThat(learnt(Drift.NONE, -1, -1)).isEqualTo(new Drift(0, 2));
        assertThat(learnt(Drift.NONE, -1, -1, 0)).isEqualTo(Drift.NONE);
        assertThat(learnt(Drift.NONE, -1, 0, -1, 0, -1, -1)).isEqualTo(new Drift(0, 2));
        // a slow clock shows it every time: the third moves the window to it
        assertThat(learnt(Drift.NONE, -1, -1, -1)).isEqualTo(new Drift(-1, 0));
        assertThat(learnt(new Drift(3, 2), 2)).isEqualTo(new Drift(2, 0));
        // and then further, a step at a time, or at once where the codes come in further below
        assertThat(learnt(new Drift(-1, 0), -2, -2, -2)).isEqualTo(new Drift(-2, 0));
        assertThat(learnt(new Drift(2, 2), -1)).isEqualTo(new Drift(-1, 0));
        // a newer code ends a run of late ones
        assertThat(learnt(new Drift(0, 2), 1)).isEqualTo(new Drift(1, 0));
        // the bound holds going back too
        assertThat(new Drift(-3, 2).after(CURRENT - 4, CURRENT, 3)).isEqualTo(new Drift(-3, 0));
    }

    @Test
    void theCentreKeepsToABoundLoweredSinceTheOffsetWasLearned() {
        assertThat(new Drift(5, 0).centre(10)).isEqualTo(5);
        assertThat(new Drift(5, 0).centre(2)).isEqualTo(2);
        assertThat(new Drift(-5, 0).centre(2)).isEqualTo(-2);
        assertThat(new Drift(5, 0).centre(0)).isZero();
        assertThat(new Drift(5, 1).after(CURRENT + 2, CURRENT, 2)).isEqualTo(new Drift(2, 0));
    }

    @Test
    void aResynchronisationSetsTheOffsetAtOnceWithinTheBound() {
        assertThat(Drift.resynchronised(CURRENT - 2, CURRENT, 10)).isEqualTo(new Drift(-2, 0));
        assertThat(Drift.resynchronised(CURRENT + 7, CURRENT, 5)).isEqualTo(new Drift(5, 0));
    }

    @Test
    void theWindowIsCentredOnTheLearnedOffsetAndKeepsItsWidth() {
        assertThat(Totp.matchingStep(SEED, P, shown(3), NOW, 0)).isEmpty();
        assertThat(Totp.matchingStep(SEED, P, shown(3), NOW, 2)).hasValue(CURRENT + 3);
        assertThat(Totp.matchingStep(SEED, P, shown(4), NOW, 3)).hasValue(CURRENT + 4);
        assertThat(Totp.matchingStep(SEED, P, shown(5), NOW, 3)).isEmpty();
        assertThat(Totp.matchingStep(SEED, P, shown(1), NOW, 3)).isEmpty(); // the far side left the window
        assertThat(Totp.matchingStep(SEED, P, shown(-3), NOW, -2)).hasValue(CURRENT - 3);
    }

    @Test
    void aPairIsTwoConsecutiveCodesWithinTheRangeAndAnswersTheSecondsStep() {
        assertThat(Totp.matchingPair(SEED, P, shown(2), shown(3), NOW, 3)).hasValue(CURRENT + 3);
        assertThat(Totp.matchingPair(SEED, P, shown(-3), shown(-2), NOW, 3)).hasValue(CURRENT - 2);
        assertThat(Totp.matchingPair(SEED, P, shown(-4), shown(-3), NOW, 3)).isEmpty(); // first outside
        assertThat(Totp.matchingPair(SEED, P, shown(3), shown(4), NOW, 3)).isEmpty();   // second outside
        assertThat(Totp.matchingPair(SEED, P, shown(1), shown(3), NOW, 3)).isEmpty();   // not consecutive
        assertThat(Totp.matchingPair(SEED, P, shown(2), shown(1), NOW, 3)).isEmpty();   // in the wrong order
        assertThat(Totp.matchingPair(SEED, P, shown(1), shown(1), NOW, 3)).isEmpty();   // the same code twice
        assertThat(Totp.matchingPair(SEED, P, shown(0), shown(1), NOW, 0)).isEmpty();   // resync off
    }

    @Test
    void aPairIsFreshOnlyWhenItsFirstCodeIsAfterTheLastAcceptedStep() {
        long last = CURRENT;
        assertThat(Drift.presentedStep(CURRENT + 2, last)).isEqualTo(CURRENT + 2); // first at +1: fresh
        assertThat(Drift.presentedStep(CURRENT + 1, last)).isEqualTo(CURRENT);     // first is the last: a replay
        assertThat(Drift.presentedStep(CURRENT, last)).isEqualTo(CURRENT - 1);     // both used: a replay
        assertThat(Drift.presentedStep(-1, last)).isEqualTo(-1);                   // no pair: a wrong code
        // what the guard then decides on those steps
        GuardRules.State state = new GuardRules.State(false, 0, last, 0);
        assertThat(GuardRules.decide(state, Drift.presentedStep(CURRENT + 2, last), 3).outcome())
                .isEqualTo(GuardVerdict.Outcome.ACCEPTED);
        assertThat(GuardRules.decide(state, Drift.presentedStep(CURRENT + 1, last), 3).outcome())
                .isEqualTo(GuardVerdict.Outcome.REPLAYED);
        assertThat(GuardRules.decide(state, Drift.presentedStep(-1, last), 3).outcome())
                .isEqualTo(GuardVerdict.Outcome.INVALID);
    }
}
