package jp.otpgateway.gateway.domain.lifecycle;

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
}
