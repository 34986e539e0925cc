package jp.otpgateway.gateway.lifecycle.domain;

import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;

import java.time.Instant;
import java.util.Optional;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.TokenKind;

/** R2, R4, R11–R14: whether a token may be issued to a user now, and whether it is a reissue. */
public final class IssuancePolicy {

    private IssuancePolicy() {
    }

    /** Where the request comes from: the portal (the user) or the branch (a paper form, R4). */
    public enum Channel { PORTAL, BRANCH }

    /** An allowed issuance; {@code otpRequired}: the portal must prove the current token first (R13). */
    public record Plan(boolean reissue, boolean otpRequired) {
    }

    /**
     * R11 (003): after deactivating a software token the user sets up the app again only from the
     * next calendar day in the tenant's zone, when the tenant keeps that rule ({@code reinstallNextDay}).
     */
    public static Optional<Refusal> reinstall(TokenKind kind, Optional<Instant> softwareDeactivatedAt,
                                              TenantConfig tenant, Instant now) {
        if (kind != TokenKind.SOFTWARE || !tenant.tokens().software().reinstallNextDay()
                || softwareDeactivatedAt.isEmpty()) {
            return Optional.empty();
        }
        Instant from = LifecycleRules.nextDayStart(softwareDeactivatedAt.get(), tenant.timeZone());
        if (now.isBefore(from)) {
            return Optional.of(Refusal.until(Refusal.Reason.ISSUANCE_COOLDOWN,
                    "a software token may be set up again from the day after its deactivation (R11)", from));
        }
        return Optional.empty();
    }

    public static Outcome<Plan> decide(Optional<Holding> holding, Optional<PendingIssuance> pending, TokenKind kind,
                                       TenantConfig tenant, Channel channel, Instant now) {
        Optional<Refusal> locked = LifecycleRules.lockOf(holding);
        if (locked.isPresent()) {
            return Outcome.refused(locked.get()); // R7: a new token must not shed the lock
        }
        if (holding.filter(h -> h.state() == AssignmentState.SUSPENDED).isPresent()) {
            return Outcome.refused(Refusal.Reason.TOKEN_SUSPENDED, "the token was reported lost or broken: the branch"
                    + " reissues it (POST …/operator/reissues) or deactivates it");
        }
        // A software token not activated yet is replaced by a new software issuance (a lost mail or
        // setup, a new phone); a pending hardware shipment is not.
        boolean replacesSetup = pending.filter(p -> p.kind() == TokenKind.SOFTWARE && kind == TokenKind.SOFTWARE)
                .isPresent();
        if (pending.isPresent() && !replacesSetup) {
            return Outcome.refused(Refusal.Reason.ISSUANCE_PENDING,
                    "a " + pending.get().kind() + " token was already requested (" + pending.get().status() + ")");
        }
        if (holding.isEmpty()) {
            return Outcome.done(new Plan(false, false));
        }
        Holding h = holding.get();
        if (h.state() == AssignmentState.REVOKED) {
            Instant availableAt = LifecycleRules.issuanceAvailableAt(h.revokedAt().orElseThrow(), tenant.tokens(),
                    tenant.timeZone());
            if (now.isBefore(availableAt)) {
                return Outcome.refused(Refusal.until(Refusal.Reason.ISSUANCE_COOLDOWN,
                        "a new token can be issued after the revocation cool-down", availableAt));
            }
            return Outcome.done(new Plan(false, false));
        }
        if (h.kind() != kind) {
            return Outcome.refused(Refusal.Reason.KIND_MISMATCH,
                    "the user holds a " + h.kind() + " token: deactivate it before switching (R14)");
        }
        if (h.expiredAt(now)) {
            return Outcome.done(new Plan(true, false)); // an expired token cannot prove anything any more
        }
        Instant from = LifecycleRules.reissueAvailableFrom(h.expiresAt(), tenant.tokens().hardware().reissueWindow());
        if (now.isBefore(from)) {
            return Outcome.refused(Refusal.until(Refusal.Reason.REISSUE_NOT_YET,
                    "a reissue is possible from the start of the reissue window before expiry", from));
        }
        return Outcome.done(new Plan(true, channel == Channel.PORTAL));
    }

    /**
     * The branch's reissue after a loss or damage report (000: 再発行): only for a user whose token
     * is suspended, once (an open shipment is the replacement already), without a code (the token is
     * gone). The reissue fee is charged for it (R15, 002: 再発行手数料).
     */
    public static Outcome<Plan> reissueAfterLoss(Optional<Holding> holding, Optional<PendingIssuance> pending) {
        if (holding.filter(h -> h.state() == AssignmentState.SUSPENDED).isEmpty()) {
            return Outcome.refused(Refusal.Reason.TOKEN_NOT_SUSPENDED,
                    "the user's token was not reported lost or broken; a reissue after loss needs a suspension");
        }
        if (pending.isPresent()) {
            return Outcome.refused(Refusal.Reason.ISSUANCE_PENDING,
                    "a " + pending.get().kind() + " token was already requested (" + pending.get().status() + ")");
        }
        return Outcome.done(new Plan(true, false));
    }
}
