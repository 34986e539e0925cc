package jp.otpgateway.gateway.shared.domain;

/**
 * R10: a user's fallback limit on one calendar day: the tenant's daily amount and what approved,
 * not cancelled transfers without OTP used of it. Yen.
 */
public record DailyLimit(long daily, long used) {

    public DailyLimit {
        if (daily < 0 || used < 0) {
            throw new IllegalArgumentException("daily and used must not be negative: " + daily + ", " + used);
        }
    }

    /** What may still be transferred today; 0 when a lowered tenant limit is already passed. */
    public long remaining() {
        return Math.max(0, daily - used);
    }

    /** Whether {@code amount} more stays within the limit (the limit itself is allowed). */
    public boolean allows(long amount) {
        return amount <= remaining();
    }
}
