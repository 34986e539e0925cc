package jp.otpgateway.tenant.model;

import java.time.Duration;
import java.util.Objects;

/** RFC 6238 parameters of the tenant's tokens and how strictly codes are read (R1). */
public record OtpSettings(
        int digits,
        Duration period,
        HashAlgorithm algorithm,
        int window,
        boolean normalizeFullWidthDigits,
        Drift drift) {

    /**
     * A token's clock drift (RFC 6238 §6). {@code maxSteps}: the offset learned from a token's
     * accepted codes is kept within ±maxSteps time steps, so the window of now ± {@code window}
     * follows the token's clock at most that far (0: nothing is learned). {@code resyncWindow}: the
     * steps searched either side of now for the two consecutive codes of a resynchronisation (0:
     * resynchronisation is off); never more than maxSteps, so what a resync finds can be kept.
     */
    public record Drift(int maxSteps, int resyncWindow) {

        public static final Drift DEFAULTS = new Drift(10, 10);

        public Drift {
            if (resyncWindow > maxSteps) {
                throw new IllegalArgumentException("resyncWindow " + resyncWindow + " exceeds maxSteps " + maxSteps);
            }
        }
    }

    public static final OtpSettings DEFAULTS =
            new OtpSettings(8, Duration.ofSeconds(60), HashAlgorithm.SHA1, 1, true, Drift.DEFAULTS);

    public OtpSettings {
        Objects.requireNonNull(drift, "drift");
    }
}
