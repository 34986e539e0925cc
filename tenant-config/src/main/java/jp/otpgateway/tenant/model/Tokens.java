package jp.otpgateway.tenant.model;

import java.time.Duration;
import java.time.LocalTime;
import java.time.Period;
import java.util.Optional;
import java.util.Set;

/** Which tokens the tenant offers and the lifecycle knobs of R2–R14. */
public record Tokens(
        Set<TokenKind> kinds,
        Hardware hardware,
        Software software,
        boolean deactivationRequiresOtp,
        Duration revocationCooldown,
        DailyWindow maintenanceWindow) {

    public Tokens {
        kinds = Set.copyOf(kinds);
    }

    /**
     * R4–R6, R13. {@code activationRequiredAtLogin}: BLG020, a LOGIN of a user whose shipped token
     * reached its start date answers ACTIVATION_REQUIRED (002, 004). {@code startAfterShipping}: the
     * start date (利用開始日) a shipment gets when the branch gives none, in whole days after the
     * shipping day (002: 送付…２週間程度). {@code pskcPlainValues}: a vendor's PSKC file may carry
     * seeds in clear (PlainValue, RFC 6030 §5); off by default, so only encrypted files are taken.
     */
    public record Hardware(boolean sharing, Duration reissueWindow, Period validity, boolean activationRequiredAtLogin,
                           Duration startAfterShipping, boolean pskcPlainValues) {

        public Hardware(boolean sharing, Duration reissueWindow, Period validity) {
            this(sharing, reissueWindow, validity, false, Duration.ofDays(14), false);
        }
    }

    /**
     * R2, R3, R11, R14. {@code appDownloadUrl}: the page the issuance mail links to, where the user
     * downloads the token app (003 手順7); without it the mail sends the user to the credit union.
     */
    public record Software(
            Period validity,
            int activationPasswordMinDigits,
            int activationPasswordMaxDigits,
            int setupAttempts,
            boolean reinstallNextDay,
            Optional<String> appDownloadUrl) {

        public Software {
            java.util.Objects.requireNonNull(appDownloadUrl, "appDownloadUrl");
        }
    }

    /**
     * A window of wall-clock time in the tenant's zone (R12 maintenance window, e.g. 02:59–03:10).
     * {@code from} after {@code to} means the window crosses midnight.
     */
    public record DailyWindow(LocalTime from, LocalTime to) {

        public boolean contains(LocalTime time) {
            if (from.isBefore(to)) {
                return !time.isBefore(from) && time.isBefore(to);
            }
            return !time.isBefore(from) || time.isBefore(to);
        }
    }
}
