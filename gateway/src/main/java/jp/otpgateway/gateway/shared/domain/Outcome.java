package jp.otpgateway.gateway.shared.domain;

import java.util.Optional;
import java.util.function.Function;

/** What a use case answers: done with a value, or refused with a {@link Refusal}. */
public sealed interface Outcome<T> {

    record Done<T>(T value) implements Outcome<T> {
    }

    record Refused<T>(Refusal refusal) implements Outcome<T> {
    }

    static <T> Outcome<T> done(T value) {
        return new Done<>(value);
    }

    static <T> Outcome<T> refused(Refusal refusal) {
        return new Refused<>(refusal);
    }

    static <T> Outcome<T> refused(Refusal.Reason reason, String detail) {
        return new Refused<>(Refusal.of(reason, detail));
    }

    /** The refusal, if this is one. */
    default Optional<Refusal> refusedWith() {
        return this instanceof Refused<T> r ? Optional.of(r.refusal()) : Optional.empty();
    }

    /** A done value transformed; a refusal stays the same refusal. */
    default <U> Outcome<U> map(Function<? super T, ? extends U> f) {
        return this instanceof Done<T> d ? done(f.apply(d.value())) : refused(((Refused<T>) this).refusal());
    }

    /** The next step on a done value; a refusal stops here. */
    default <U> Outcome<U> flatMap(Function<? super T, Outcome<U>> f) {
        return this instanceof Done<T> d ? f.apply(d.value()) : refused(((Refused<T>) this).refusal());
    }

    /** One answer for each case. */
    default <R> R fold(Function<Refusal, ? extends R> onRefused, Function<? super T, ? extends R> onDone) {
        return this instanceof Done<T> d ? onDone.apply(d.value()) : onRefused.apply(((Refused<T>) this).refusal());
    }
}
