package jp.otpgateway.gateway.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The gateway's clock in integration tests: real time until a test fixes or moves it, so time rules
 * (window edges, cool-down, reissue window, expiry) are tested without waiting. Reset after each test.
 */
public final class TestClock extends Clock {

    private volatile Instant fixed;
    private volatile Duration offset = Duration.ZERO;

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the gateway keeps its clock in UTC");
    }

    @Override
    public Instant instant() {
        Instant f = fixed;
        return f != null ? f : Instant.now().plus(offset);
    }

    /** Stops time at {@code at}. */
    public void fix(Instant at) {
        fixed = at;
    }

    /** Moves time on (fixed or running). */
    public void advance(Duration by) {
        Instant f = fixed;
        if (f != null) {
            fixed = f.plus(by);
        } else {
            offset = offset.plus(by);
        }
    }

    public void reset() {
        fixed = null;
        offset = Duration.ZERO;
    }
}
