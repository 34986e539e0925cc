package jp.otpgateway.tenant.model;

import java.time.Duration;

/** RFC 6238 parameters of the tenant's tokens and how strictly codes are read (R1). */
public record OtpSettings(
        int digits,
        Duration period,
        HashAlgorithm algorithm,
        int window,
        boolean normalizeFullWidthDigits) {

    public static final OtpSettings DEFAULTS =
            new OtpSettings(8, Duration.ofSeconds(60), HashAlgorithm.SHA1, 1, true);
}
