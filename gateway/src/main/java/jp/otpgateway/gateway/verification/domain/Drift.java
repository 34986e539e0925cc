package jp.otpgateway.gateway.verification.domain;

/**
 * A token's clock drift (RFC 6238 §6; docs/domain.md "Drift and resynchronisation"): {@code steps},
 * the offset in time steps the acceptance window (now ± otp.window) is centred on, and
 * {@code below}, how many acceptances in a row came in below that centre.
 *
 * <p>Key-fobs run for five years and their clocks drift. Only a clock running fast makes a code
 * look newer than the centre (nobody types a code the display has not shown yet), so the window
 * follows such an acceptance at once. A code that looks older is what a user who typed the previous
 * minute's code sends as well as what a slow clock shows, so the window moves back only on the
 * {@value #LATE_IN_A_ROW}rd acceptance below the centre in a row: a late typist among quick ones
 * never moves it, a slow clock soon does. The window keeps its width, so learning never lets more
 * guesses through; the tenant's {@code otp.drift.maxSteps} bounds how far it may follow (a code more
 * than maxSteps + window steps from now is never accepted). A token whose clock jumped further than
 * the window is brought back by a resynchronisation: two consecutive codes within now ±
 * {@code otp.drift.resyncWindow}, decided by the same guard as any code (R1, R7).
 */
public record Drift(int steps, int below) {

    /** A token whose clock nothing has been learned of. */
    public static final Drift NONE = new Drift(0, 0);

    /** Acceptances below the centre in a row that move the window back. */
    public static final int LATE_IN_A_ROW = 3;

    /** The offset the window is centred on, within the tenant's bound (which may have been lowered since). */
    public int centre(int maxSteps) {
        return clamp(steps, maxSteps);
    }

    /** The drift an acceptance at {@code acceptedStep} leaves, while now is at {@code currentStep}. */
    public Drift after(long acceptedStep, long currentStep, int maxSteps) {
        long offset = acceptedStep - currentStep;
        int centre = centre(maxSteps);
        if (offset > centre) {
            return new Drift(clamp(offset, maxSteps), 0);
        }
        if (offset == centre) {
            return new Drift(centre, 0);
        }
        return below + 1 >= LATE_IN_A_ROW ? new Drift(clamp(offset, maxSteps), 0) : new Drift(centre, below + 1);
    }

    /** The drift a resynchronisation whose second code is at {@code secondStep} sets, at once. */
    public static Drift resynchronised(long secondStep, long currentStep, int maxSteps) {
        return new Drift(clamp(secondStep - currentStep, maxSteps), 0);
    }

    /**
     * The step a resynchronisation puts before the guard, for a pair whose second code is at
     * {@code secondStep}: that step, which the guard accepts only after the last accepted one; but
     * when the pair's first code is at or below the last accepted step, the first code's step, which
     * the guard refuses as a replay and counts (R1, R7): a pair is fresh only when both codes are.
     * {@code -1} (no pair found) stays -1: a wrong pair, counted like a wrong code.
     */
    public static long presentedStep(long secondStep, long lastAcceptedStep) {
        if (secondStep < 0) {
            return -1;
        }
        return secondStep - 1 <= lastAcceptedStep ? secondStep - 1 : secondStep;
    }

    private static int clamp(long offset, int maxSteps) {
        return (int) Math.max(-maxSteps, Math.min(maxSteps, offset));
    }
}
