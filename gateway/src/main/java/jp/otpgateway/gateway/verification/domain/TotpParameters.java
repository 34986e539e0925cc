package jp.otpgateway.gateway.verification.domain;

import java.time.Duration;
import java.time.Instant;
import jp.otpgateway.tenant.model.HashAlgorithm;

/**
 * RFC 6238 parameters of one token (from its import row, else the tenant's defaults) and the
 * tenant's acceptance window: codes of {@code window} steps either side of now are accepted (R1).
 */
public record TotpParameters(HashAlgorithm algorithm, int digits, Duration period, int window) {

    public TotpParameters {
        if (digits < 6 || digits > 8) {
            throw new IllegalArgumentException("digits must be 6 to 8, was " + digits);
        }
        if (period.isNegative() || period.isZero() || period.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("period must be whole positive seconds, was " + period);
        }
        if (window < 0) {
            throw new IllegalArgumentException("window must not be negative, was " + window);
        }
    }

    /** RFC 6238 §4.2: T = floor((now - T0) / X), T0 = 0. */
    public long stepAt(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), period.getSeconds());
    }
}
