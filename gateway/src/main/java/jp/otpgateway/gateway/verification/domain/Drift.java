package jp.otpgateway.gateway.verification.domain;

/**
 * A token's clock drift (RFC 6238 §6; docs/domain.md "Drift and resynchronisation"). Key-fobs run
 * for five years and their clocks drift; the gateway learns, per token, the offset in time steps
 * of its latest accepted code and centres the acceptance window (now ± otp.window) on now + that
 * offset. The window keeps its width, so learning never lets more guesses through; the tenant's
 * {@code otp.drift.maxSteps} bounds how far the window may follow a token (a code more than
 * maxSteps + window steps from now is never accepted). A token whose clock jumped further than the
 * window is brought back by a resynchronisation: two consecutive codes within now ±
 * {@code otp.drift.resyncWindow}, decided by the same guard as any code (R1, R7).
 */
public final class Drift {

    private Drift() {
    }

    /** The offset the window is centred on: the learned one within the tenant's bound (which may have been lowered since). */
    public static int centre(int learned, int maxSteps) {
        return clamp(learned, maxSteps);
    }

    /** The offset kept after a code accepted at {@code acceptedStep} while now is at {@code currentStep}. */
    public static int learn(long acceptedStep, long currentStep, int maxSteps) {
        return clamp(acceptedStep - currentStep, maxSteps);
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
