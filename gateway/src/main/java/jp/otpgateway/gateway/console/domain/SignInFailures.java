package jp.otpgateway.gateway.console.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * Wrong sign-ins from one address: after {@link #LIMIT} within {@link #WINDOW} the console refuses
 * further sign-ins from there until the window has passed, so that operator keys cannot be guessed
 * through the console faster than a few an hour. A right sign-in does not reset the count (an
 * attacker holding one key must not earn guesses for others).
 */
public record SignInFailures(int count, Instant since) {

    public static final int LIMIT = 5;
    public static final Duration WINDOW = Duration.ofMinutes(15);

    public static SignInFailures none(Instant now) {
        return new SignInFailures(0, now);
    }

    /** The count after one more failure at {@code now}; a window that has passed starts again. */
    public SignInFailures plusOne(Instant now) {
        return windowOver(now) ? new SignInFailures(1, now) : new SignInFailures(count + 1, since);
    }

    /** Whether a sign-in from this address is refused at {@code now}. */
    public boolean blocked(Instant now) {
        return count >= LIMIT && !windowOver(now);
    }

    private boolean windowOver(Instant now) {
        return !now.isBefore(since.plus(WINDOW));
    }
}
