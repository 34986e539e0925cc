package jp.otpgateway.gateway.domain.lifecycle;

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

    default <R> Outcome<R> map(Function<T, R> mapper) {
        if (this instanceof Done<T> done) {
            return new Done<>(mapper.apply(done.value()));
        }
        return new Refused<>(((Refused<T>) this).refusal());
    }
}
