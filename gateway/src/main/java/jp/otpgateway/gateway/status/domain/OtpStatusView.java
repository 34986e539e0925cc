package jp.otpgateway.gateway.status.domain;

import jp.otpgateway.gateway.lifecycle.domain.OtpStatus;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.lifecycle.domain.IssuancePolicy;
import jp.otpgateway.gateway.lifecycle.domain.LifecycleRules;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.gateway.lifecycle.domain.AssignmentState;
import jp.otpgateway.gateway.lifecycle.domain.Holding;
import jp.otpgateway.gateway.lifecycle.domain.PendingIssuance;
import jp.otpgateway.gateway.lifecycle.domain.UserOtpState;
import jp.otpgateway.gateway.shared.domain.DailyLimit;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.TokenKind;

/**
 * What {@code GET …/users/{loginId}/otp} shows (R16). {@code fallbackLimit} is the tenant's daily
 * fallback (R10) with today's usage exactly when the user has no active OTP; {@code reissueAvailableFrom} is shown
 * for an active token (R13), {@code issuanceAvailableAt} for a revoked one (R12) or, after a
 * software token's deactivation, the next day from which the app may be set up again (R11).
 * {@code activationRequiredFrom}: where the tenant forces activation at login (BLG020), the start of
 * the shipped token's start date; {@code activationRequired} once it has come.
 */
public record OtpStatusView(
        String loginId,
        OtpStatus status,
        Optional<TokenKind> kind,
        Optional<String> serial,
        Optional<Instant> expiresAt,
        List<String> sharedWith,
        Optional<PendingIssuance> pending,
        Optional<Instant> reissueAvailableFrom,
        Optional<Instant> issuanceAvailableAt,
        Optional<DailyLimit> fallbackLimit,
        Optional<Instant> activationRequiredFrom,
        boolean activationRequired) {

    public OtpStatusView {
        sharedWith = List.copyOf(sharedWith);
    }

    /** {@code usedToday}: the user's fallback usage of today in the tenant's zone (ignored with an active OTP). */
    public static OtpStatusView of(UserOtpState state, TenantConfig tenant, Instant now, long usedToday) {
        OtpStatus status = state.statusAt(now);
        Optional<Holding> holding = state.holding();
        Optional<Instant> reissueFrom = holding.filter(h -> h.state() == AssignmentState.ACTIVE)
                .map(h -> LifecycleRules.reissueAvailableFrom(h.expiresAt(), tenant.tokens().hardware().reissueWindow()));
        Optional<Instant> issuanceAt = holding.filter(h -> h.state() == AssignmentState.REVOKED)
                .flatMap(Holding::revokedAt)
                .map(revokedAt -> LifecycleRules.issuanceAvailableAt(revokedAt, tenant.tokens(), tenant.timeZone()))
                .or(() -> IssuancePolicy.reinstall(TokenKind.SOFTWARE, state.softwareDeactivatedAt(), tenant, now)
                        .flatMap(Refusal::availableAt)
                        .filter(at -> holding.isEmpty() && state.pending().isEmpty()));
        Optional<DailyLimit> limit = status.hasActiveOtp()
                ? Optional.empty()
                : Optional.of(new DailyLimit(tenant.withoutOtp().dailyTransferLimit(), usedToday));
        boolean forced = tenant.tokens().hardware().activationRequiredAtLogin();
        return new OtpStatusView(state.user().loginId(), status, holding.map(Holding::kind),
                holding.map(Holding::serial), holding.map(Holding::expiresAt), state.sharedWith(), state.pending(),
                reissueFrom, issuanceAt, limit,
                LifecycleRules.activationDueFrom(state.pending(), forced, tenant.timeZone()),
                LifecycleRules.activationDue(state.pending(), forced, tenant.timeZone(), now));
    }
}
