package jp.otpgateway.gateway.verification.domain;

import java.util.Optional;
/**
 * The rules of single use and lockout (R1, R7) as one pure transition table. The state of a token:
 * locked, consecutive failures, the last accepted time step, and the version every unlock moves on.
 *
 * <table>
 * <caption>One attempt (decide)</caption>
 * <tr><th>state</th><th>event</th><th>outcome</th><th>state after</th></tr>
 * <tr><td>locked</td><td>any code</td><td>LOCKED</td><td>unchanged: a locked token counts nothing</td></tr>
 * <tr><td>unlocked</td><td>correct code at step s, s &gt; last</td><td>ACCEPTED</td><td>last = s, failures 0</td></tr>
 * <tr><td>unlocked</td><td>correct code at step s, s ≤ last</td><td>REPLAYED</td><td>failures + 1</td></tr>
 * <tr><td>unlocked</td><td>wrong code</td><td>INVALID</td><td>failures + 1</td></tr>
 * <tr><td colspan="4">a counted failure that reaches N locks the token</td></tr>
 * <tr><td>any</td><td>unlock (R8)</td><td>–</td><td>unlocked, failures 0, version + 1, last kept</td></tr>
 * <tr><td colspan="4">the deciding copy holds no state, or one older than an unlock: it adopts the
 * durable state, keeping the higher last step ({@link #adopt})</td></tr>
 * </table>
 *
 * <p>The same rules live where they must be atomic: the Redis script {@code redis/otp-attempt.lua}
 * decides (one round trip per attempt on every instance), and the statements of
 * {@code R2dbcOtpAttempts} keep the durable copy ({@link #persist}). {@code GuardTableIT} runs every
 * row of the table through this class, the script on a real Redis and the statements on a real
 * PostgreSQL, and fails when any of the three disagrees.
 */
public final class GuardRules {

    private GuardRules() {
    }

    /** A token's guard state; {@code lastStep} is the highest accepted time step (-1: none yet). */
    public record State(boolean locked, int failures, long lastStep, long version) {

        public static State of(TokenState durable) {
            return new State(durable.locked(), durable.failures(), durable.lastUsedStep(), durable.version());
        }
    }

    /** The outcome of one attempt and the state it leaves. */
    public record Decision(GuardVerdict.Outcome outcome, State after) {

        public GuardVerdict verdict() {
            return new GuardVerdict(outcome, after.failures(), after.locked(), after.version(), after.lastStep());
        }
    }

    /**
     * What the deciding copy (Redis) decides on: its own state, unless it holds none (a restart, a
     * flush, a failover, expiry) or one older than an unlock; then the durable state, but never
     * forgetting a step it saw accepted.
     */
    public static State adopt(Optional<State> held, State durable) {
        if (held.isPresent() && held.get().version() >= durable.version()) {
            return held.get();
        }
        long last = held.map(h -> Math.max(h.lastStep(), durable.lastStep())).orElse(durable.lastStep());
        return new State(durable.locked(), durable.failures(), last, durable.version());
    }

    /** {@code matchedStep}: the step the code matched in the window, or -1 when it matched none. */
    public static Decision decide(State state, long matchedStep, int maxFailures) {
        if (state.locked()) {
            return new Decision(GuardVerdict.Outcome.LOCKED, state);
        }
        if (matchedStep >= 0 && matchedStep > state.lastStep()) {
            return new Decision(GuardVerdict.Outcome.ACCEPTED, new State(false, 0, matchedStep, state.version()));
        }
        GuardVerdict.Outcome outcome = matchedStep >= 0 ? GuardVerdict.Outcome.REPLAYED : GuardVerdict.Outcome.INVALID;
        int failures = state.failures() + 1;
        return new Decision(outcome, new State(failures >= maxFailures, failures, state.lastStep(), state.version()));
    }

    /** R7: a wrong code and a replay count towards the lock; an attempt on a locked token does not. */
    public static boolean counts(GuardVerdict.Outcome outcome) {
        return outcome == GuardVerdict.Outcome.INVALID || outcome == GuardVerdict.Outcome.REPLAYED;
    }

    /** R8: an unlock frees the token and starts a new version of its state; used steps stay used. */
    public static State unlock(State state) {
        return new State(false, 0, state.lastStep(), state.version() + 1);
    }

    /**
     * The durable copy after a decision is written ({@code R2dbcOtpAttempts}), whatever else parallel
     * attempts wrote first. An acceptance stores its step only when it is newer than the stored one
     * (a second replay guard for a Redis that lost its state), and then keeps the failures of a
     * lock written meanwhile; if it is not newer, the acceptance stands as REPLAYED, or LOCKED when
     * the token is locked, and nothing changes. A counted failure raises the failures (and sets the
     * lock) only when it was decided on the stored version and on a last step not older than the
     * stored one: a failure decided before an unlock or before a newer acceptance is not written back.
     */
    public static Decision persist(State durable, GuardVerdict verdict) {
        if (verdict.outcome() == GuardVerdict.Outcome.ACCEPTED) {
            long step = verdict.lastAcceptedStep();
            if (durable.lastStep() < step) {
                return new Decision(GuardVerdict.Outcome.ACCEPTED, new State(durable.locked(),
                        durable.locked() ? durable.failures() : 0, step, durable.version()));
            }
            return new Decision(durable.locked() ? GuardVerdict.Outcome.LOCKED : GuardVerdict.Outcome.REPLAYED, durable);
        }
        if (counts(verdict.outcome()) && durable.version() == verdict.version()
                && durable.lastStep() <= verdict.lastAcceptedStep()) {
            return new Decision(verdict.outcome(), new State(durable.locked() || verdict.locked(),
                    Math.max(durable.failures(), verdict.failures()), durable.lastStep(), durable.version()));
        }
        return new Decision(verdict.outcome(), durable);
    }
}
