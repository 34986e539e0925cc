package jp.otpgateway.gateway.verification.domain;

/**
 * What the atomic guard decided for one attempt on one token (R1, R7): the outcome, the consecutive
 * failures after it, whether the token is locked after it, the state version it was decided on and
 * the last accepted step it was decided against.
 */
public record GuardVerdict(Outcome outcome, int failures, boolean locked, long version, long lastAcceptedStep) {

    public enum Outcome {
        /** Right code, newer than every accepted one: step recorded, failures reset. */
        ACCEPTED,
        /** Wrong code: one more failure; the N-th locks the token. */
        INVALID,
        /** A code of an already accepted (or older) step: refused and counted as a failure. */
        REPLAYED,
        /** The token is locked: refused whatever the code, nothing counted. */
        LOCKED,
        /**
         * Never from the guard; from persisting an acceptance: the user's assignment of the token had
         * ended (revoked, deactivated, replaced) before it was written. Nothing was written.
         */
        STALE
    }

    public int remainingAttempts(int maxConsecutiveFailures) {
        return Math.max(0, maxConsecutiveFailures - failures);
    }
}
