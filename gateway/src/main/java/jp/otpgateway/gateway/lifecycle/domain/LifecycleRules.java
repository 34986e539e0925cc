package jp.otpgateway.gateway.lifecycle.domain;

import jp.otpgateway.gateway.shared.domain.FieldViolation;
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
     * again. A revoked user with a new token on its way shows ISSUED; a suspended one stays
     * SUSPENDED until the reissued token is activated (000: 再発行…が完了するまで…お取引ができません).
     */
    public static OtpStatus status(Optional<Holding> holding, Optional<PendingIssuance> pending, Instant now) {
        return status(holding, pending.isPresent(), now);
    }

    /** The same, where only whether a token is on its way is known (the branch's token lookup). */
    public static OtpStatus status(Optional<Holding> holding, boolean pendingIssuance, Instant now) {
        if (holding.isPresent()) {
            Holding h = holding.get();
            if (h.state() == AssignmentState.SUSPENDED) {
                return OtpStatus.SUSPENDED;
            }
            if (h.state() == AssignmentState.ACTIVE) {
                if (h.expiredAt(now)) {
                    return OtpStatus.EXPIRED;
                }
                return h.locked() ? OtpStatus.LOCKED : OtpStatus.ACTIVE;
            }
            return pendingIssuance ? OtpStatus.ISSUED : OtpStatus.REVOKED;
        }
        return pendingIssuance ? OtpStatus.ISSUED : OtpStatus.UNREGISTERED;
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
     * A token reported lost or broken at the branch (000: 故障・紛失…再発行または利用解除が完了するまで
     * …お取引ができません): refused everywhere, also while the reissued token is on its way.
     */
    public static Optional<Refusal> suspensionOf(Optional<Holding> holding) {
        return holding.filter(h -> h.state() == AssignmentState.SUSPENDED)
                .map(h -> Refusal.of(Refusal.Reason.TOKEN_SUSPENDED, "the user's token was reported lost or broken;"
                        + " nothing is authorised until a reissued token is activated or the branch deactivates"));
    }

    /**
     * R7, R12 and the loss report: what refuses a user every operation, the fallback limit
     * included, whatever the status shows. A locked token (above); a suspended one (above); a
     * revoked one (失効した利用者はログインできなくなります), also while a new token is on its way,
     * until a new token is activated.
     */
    public static Optional<Refusal> barrier(Optional<Holding> holding) {
        return lockOf(holding).or(() -> suspensionOf(holding))
                .or(() -> holding.filter(h -> h.state() == AssignmentState.REVOKED)
                        .map(h -> Refusal.of(Refusal.Reason.TOKEN_REVOKED,
                                "the user's token was revoked (R12); nothing is authorised until a new token is activated")));
    }

    /**
     * BLG020 (002, 004: 利用開始日以降…ログインを実施した場合、ワンタイムパスワード利用開始登録…画面が
     * 表示されます): where the tenant forces it, from 00:00 of the start date in the tenant's zone a
     * user whose hardware token was shipped and is not active yet must activate it at login.
     */
    public static Optional<Instant> activationDueFrom(Optional<PendingIssuance> pending, boolean forcedAtLogin,
                                                      ZoneId zone) {
        if (!forcedAtLogin) {
            return Optional.empty();
        }
        return pending.flatMap(p -> p.startsAt(zone));
    }

    public static boolean activationDue(Optional<PendingIssuance> pending, boolean forcedAtLogin, ZoneId zone,
                                        Instant now) {
        return activationDueFrom(pending, forcedAtLogin, zone).filter(from -> !now.isBefore(from)).isPresent();
    }

    /**
     * What refuses a LOGIN: a lock first (R7: a new token cannot replace a locked one, so asking for
     * its activation would lead nowhere); then a due activation (BLG020), which is also the way out of
     * a suspension or a revocation; then the barrier.
     */
    public static Optional<Refusal> loginBarrier(Optional<Holding> holding, Optional<PendingIssuance> pending,
                                                 boolean forcedAtLogin, ZoneId zone, Instant now) {
        return lockOf(holding)
                .or(() -> activationDue(pending, forcedAtLogin, zone, now)
                        ? Optional.of(Refusal.of(Refusal.Reason.ACTIVATION_REQUIRED,
                                "the user's hardware token reached its start date: activate it (BLG020)"))
                        : Optional.empty())
                .or(() -> barrier(holding));
    }

    /** A start date the branch gives lies between today (tenant's zone) and a year ahead. */
    public static Optional<Refusal> refuseStartDate(LocalDate startsOn, Instant now, ZoneId zone) {
        LocalDate today = now.atZone(zone).toLocalDate();
        if (!startsOn.isBefore(today) && !startsOn.isAfter(today.plusYears(1))) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(Refusal.Reason.VALIDATION_FAILED, "the start date must lie within a year from today",
                Optional.empty(), Optional.empty(), Optional.empty(), java.util.List.of(new FieldViolation("startsOn",
                        FieldViolation.INVALID_VALUE, "利用開始日は本日から1年以内の日付を指定してください。"))));
    }

    /** A new shipment's start date: the one the branch gave, or the tenant's default after the shipping day. */
    public static LocalDate startDate(Optional<LocalDate> given, Instant shippedAt, Duration defaultAfterShipping,
                                      ZoneId zone) {
        return given.orElseGet(() -> shippedAt.atZone(zone).toLocalDate().plusDays(defaultAfterShipping.toDays()));
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
