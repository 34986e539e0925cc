package jp.otpgateway.gateway.lifecycle.domain;

import jp.otpgateway.gateway.shared.domain.Refusal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import jp.otpgateway.tenant.model.Tokens;

/** The time rules of the token lifecycle, as pure functions of their inputs and the instant. */
public final class LifecycleRules {

    private LifecycleRules() {
    }

    /**
     * R16 status. An expired token shows EXPIRED even when it is also locked: it can never verify
     * again. A revoked user with a new token on its way shows ISSUED.
     */
    public static OtpStatus status(Optional<Holding> holding, Optional<PendingIssuance> pending, Instant now) {
        if (holding.isPresent()) {
            Holding h = holding.get();
            if (h.state() == AssignmentState.ACTIVE) {
                if (h.expiredAt(now)) {
                    return OtpStatus.EXPIRED;
                }
                return h.locked() ? OtpStatus.LOCKED : OtpStatus.ACTIVE;
            }
            return pending.isPresent() ? OtpStatus.ISSUED : OtpStatus.REVOKED;
        }
        return pending.isPresent() ? OtpStatus.ISSUED : OtpStatus.UNREGISTERED;
    }

    /**
     * R7: a locked token stays a lock on every path until a MASTER/ADMIN user or the branch unlocks
     * it: the user's deactivation, a reissue or new issuance, another token's activation, the daily
     * fallback limit. Expiry does not end it either: an expired token shows EXPIRED (R16) but is
     * still the user's locked token.
     */
    public static Optional<Refusal> lockOf(Optional<Holding> holding) {
        return holding.filter(h -> h.state() == AssignmentState.ACTIVE && h.locked())
                .map(h -> Refusal.of(Refusal.Reason.OTP_LOCKED,
                        "the user's token is locked (R7); nothing is authorised until it is unlocked"));
    }

    /**
     * R7 and R12: what refuses a user every operation, the fallback limit included, whatever the
     * status shows. A locked token (above); a revoked one (失効した利用者はログインできなくなります),
     * also while a new token is on its way, until a new token is activated.
     */
    public static Optional<Refusal> barrier(Optional<Holding> holding) {
        return lockOf(holding).or(() -> holding.filter(h -> h.state() == AssignmentState.REVOKED)
                .map(h -> Refusal.of(Refusal.Reason.TOKEN_REVOKED,
                        "the user's token was revoked (R12); nothing is authorised until a new token is activated")));
    }

    /**
     * R12: after a revocation a new issuance waits for the cool-down (004: 30 min) and, when the
     * revocation fell in the tenant's maintenance window (02:59–03:10), for the end of that window.
     */
    public static Instant issuanceAvailableAt(Instant revokedAt, Tokens tokens, ZoneId zone) {
        Instant afterCooldown = revokedAt.plus(tokens.revocationCooldown());
        ZonedDateTime local = revokedAt.atZone(zone);
        Tokens.DailyWindow window = tokens.maintenanceWindow();
        if (!window.contains(local.toLocalTime())) {
            return afterCooldown;
        }
        LocalDate endDay = local.toLocalDate();
        if (!local.toLocalTime().isBefore(window.to())) {
            endDay = endDay.plusDays(1); // a window crossing midnight, revoked before midnight
        }
        Instant windowEnd = ZonedDateTime.of(endDay, window.to(), zone).toInstant();
        return windowEnd.isAfter(afterCooldown) ? windowEnd : afterCooldown;
    }

    /** The start of the calendar day after {@code at} in the tenant's zone (R11 reinstall). */
    public static Instant nextDayStart(Instant at, ZoneId zone) {
        return at.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
    }

    /** R13: a reissue may be requested from {@code window} (90 days) before the expiry on. */
    public static Instant reissueAvailableFrom(Instant expiresAt, Duration window) {
        return expiresAt.minus(window);
    }
}
