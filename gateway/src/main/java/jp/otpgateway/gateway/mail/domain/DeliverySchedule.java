package jp.otpgateway.gateway.mail.domain;

import java.time.Duration;

/**
 * How the outbox is delivered: mails claimed per round ({@code batchSize}) for {@code lease}, a
 * failed delivery tried again after {@code firstRetry} doubled up to {@code maxRetryDelay}, given
 * up after {@code maxAttempts}.
 */
public record DeliverySchedule(int batchSize, Duration lease, Duration firstRetry, Duration maxRetryDelay,
                               int maxAttempts) {

    public DeliverySchedule {
        if (batchSize < 1 || maxAttempts < 1 || firstRetry.isNegative() || firstRetry.isZero()
                || maxRetryDelay.compareTo(firstRetry) < 0 || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("otp.mail: batchSize and maxAttempts >= 1, a positive firstRetry"
                    + " and lease, maxRetryDelay >= firstRetry");
        }
    }

    /** The wait after the {@code attempts}-th failed delivery: firstRetry × 2^(attempts−1), capped. */
    public Duration retryDelay(int attempts) {
        Duration delay = firstRetry;
        for (int i = 1; i < attempts && delay.compareTo(maxRetryDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : delay;
    }
}
