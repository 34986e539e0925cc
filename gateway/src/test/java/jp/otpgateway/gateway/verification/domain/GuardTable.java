package jp.otpgateway.gateway.verification.domain;

import static jp.otpgateway.gateway.verification.domain.GuardVerdict.Outcome.ACCEPTED;
import static jp.otpgateway.gateway.verification.domain.GuardVerdict.Outcome.INVALID;
import static jp.otpgateway.gateway.verification.domain.GuardVerdict.Outcome.LOCKED;
import static jp.otpgateway.gateway.verification.domain.GuardVerdict.Outcome.REPLAYED;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The rows of GuardRules' table (R1, R7, R8), shared by GuardRulesTest (the Java rules) and
 * GuardTableIT (the same rows through the Redis script and the PostgreSQL statements).
 */
public final class GuardTable {

    private GuardTable() {
    }

    /** One event: a correct code at {@code step}, a wrong code (step -1), or an unlock. */
    public record Event(String kind, long step) {

        public static Event code(long step) {
            return new Event("code", step);
        }

        public static Event wrong() {
            return new Event("wrong", -1);
        }

        public static Event unlock() {
            return new Event("unlock", -1);
        }

        @Override
        public String toString() {
            return kind.equals("code") ? "code@" + step : kind;
        }
    }

    /**
     * From the durable state {@code start} (and {@code held}, what the deciding copy holds: nothing,
     * or a copy a failover or an unlock left behind), with the lock at {@code max}, the events answer
     * {@code outcomes} (what stands once written) and leave the durable state {@code end}.
     */
    public record Row(String name, Optional<GuardRules.State> held, GuardRules.State start, int max, List<Event> events,
                      List<GuardVerdict.Outcome> outcomes, GuardRules.State end) {

        Row(String name, GuardRules.State start, int max, List<Event> events, List<GuardVerdict.Outcome> outcomes,
            GuardRules.State end) {
            this(name, Optional.empty(), start, max, events, outcomes, end);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static GuardRules.State state(boolean locked, int failures, long last, long version) {
        return new GuardRules.State(locked, failures, last, version);
    }

    static final GuardRules.State FRESH = state(false, 0, 1000, 1);

    public static Stream<Row> rows() {
        return Stream.of(
                new Row("a correct code of a newer step is accepted", FRESH, 5,
                        List.of(Event.code(1001)), List.of(ACCEPTED), state(false, 0, 1001, 1)),
                new Row("an acceptance resets the failures", state(false, 3, 1000, 1), 5,
                        List.of(Event.code(1001)), List.of(ACCEPTED), state(false, 0, 1001, 1)),
                new Row("the same step again is a replay and counts", FRESH, 5,
                        List.of(Event.code(1001), Event.code(1001)), List.of(ACCEPTED, REPLAYED), state(false, 1, 1001, 1)),
                new Row("an older step is a replay", FRESH, 5,
                        List.of(Event.code(999)), List.of(REPLAYED), state(false, 1, 1000, 1)),
                new Row("a wrong code counts", FRESH, 5,
                        List.of(Event.wrong()), List.of(INVALID), state(false, 1, 1000, 1)),
                new Row("the N-th wrong code locks", state(false, 4, 1000, 1), 5,
                        List.of(Event.wrong()), List.of(INVALID), state(true, 5, 1000, 1)),
                new Row("a replay can be the failure that locks", state(false, 4, 1000, 1), 5,
                        List.of(Event.code(1000)), List.of(REPLAYED), state(true, 5, 1000, 1)),
                new Row("a locked token refuses the right code and counts nothing", state(true, 5, 1000, 1), 5,
                        List.of(Event.code(1001), Event.wrong()), List.of(LOCKED, LOCKED), state(true, 5, 1000, 1)),
                new Row("a tenant of three locks at three", FRESH, 3,
                        List.of(Event.wrong(), Event.wrong(), Event.wrong(), Event.code(1001)),
                        List.of(INVALID, INVALID, INVALID, LOCKED), state(true, 3, 1000, 1)),
                new Row("a correct code between wrong ones resets the count", FRESH, 5,
                        List.of(Event.wrong(), Event.wrong(), Event.code(1001), Event.wrong()),
                        List.of(INVALID, INVALID, ACCEPTED, INVALID), state(false, 1, 1001, 1)),
                new Row("an unlock frees the token as a new version; used steps stay used", state(true, 5, 1000, 1), 5,
                        List.of(Event.unlock(), Event.code(1000), Event.code(1001)),
                        List.of(REPLAYED, ACCEPTED), state(false, 0, 1001, 2)),
                new Row("after an unlock the count starts again at zero", state(true, 3, 1000, 4), 3,
                        List.of(Event.unlock(), Event.wrong(), Event.wrong()),
                        List.of(INVALID, INVALID), state(false, 2, 1000, 5)),
                new Row("a copy that missed an acceptance (failover) accepts the step again; PostgreSQL stands it as a replay",
                        Optional.of(state(false, 0, 999, 1)), FRESH, 5,
                        List.of(Event.code(1000)), List.of(REPLAYED), FRESH),
                new Row("a copy that lost its state adopts the durable one: the lock and the count survive",
                        Optional.empty(), state(true, 5, 1000, 1), 5,
                        List.of(Event.code(1001)), List.of(LOCKED), state(true, 5, 1000, 1)),
                new Row("a copy older than an unlock adopts the durable state but keeps the higher step it saw",
                        Optional.of(state(true, 5, 1002, 1)), state(false, 0, 1000, 2), 5,
                        List.of(Event.code(1001), Event.code(1003)), List.of(REPLAYED, ACCEPTED), state(false, 0, 1003, 2)));
    }
}
