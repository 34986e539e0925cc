package jp.otpgateway.gateway.lifecycle.domain;

import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;

import java.time.Instant;
import java.util.Optional;
import jp.otpgateway.tenant.model.TokenKind;

/**
 * R3, R5, R6, R11–R13: whether a user may activate a hardware token by its serial, or the
 * software token issued to them. Checked before the
 * code is tried, so a refusal never burns the user's current code. Possession is then proven by the
 * OTP through the verification path.
 */
public final class ActivationPolicy {

    private ActivationPolicy() {
    }

    /** What the activation will do to the user's current token, if any. */
    public record Plan(Optional<Holding> superseded) {
    }

    public static Outcome<Plan> check(String loginId, String contractId, TokenFacts token, Optional<Holding> current,
                                      boolean deactivatedByUser, Optional<PendingIssuance> pending, boolean sharing,
                                      Instant now) {
        if (token.kind() != TokenKind.HARDWARE) {
            return Outcome.refused(Refusal.Reason.KIND_MISMATCH, "the serial belongs to a software token");
        }
        if (token.retiredAt().isPresent()) {
            return Outcome.refused(Refusal.Reason.TOKEN_RETIRED,
                    "the token was retired (left by its last user, R11, or reported lost or broken)");
        }
        if (deactivatedByUser) {
            return Outcome.refused(Refusal.Reason.TOKEN_RETIRED,
                    "the user deactivated this token and may not activate it again (R11)");
        }
        if (!now.isBefore(token.expiresAt())) {
            return Outcome.refused(Refusal.Reason.TOKEN_EXPIRED, "the token has expired");
        }
        boolean otherContract = token.contractId().filter(c -> !c.equals(contractId)).isPresent()
                || token.holders().stream().anyMatch(h -> !h.contractId().equals(contractId));
        if (otherContract) {
            return Outcome.refused(Refusal.Reason.TOKEN_OTHER_CONTRACT,
                    "the token belongs to another contract; sharing across contracts is refused (R6)");
        }
        Optional<Refusal> holdingRefusal = currentHolding(token.serial(), current, pending, now);
        if (holdingRefusal.isPresent()) {
            return Outcome.refused(holdingRefusal.get());
        }
        boolean othersUseIt = token.holders().stream()
                .anyMatch(h -> h.state() == AssignmentState.ACTIVE && !h.loginId().equals(loginId));
        if (othersUseIt && !sharing) {
            return Outcome.refused(Refusal.Reason.TOKEN_IN_USE, "the tenant does not allow sharing a token (R6)");
        }
        return Outcome.done(new Plan(current));
    }

    /**
     * R3: whether the user may activate the software token issued to them ({@code pending}, whose
     * serial is {@code token}) now: the app must have fetched it, and a current token is replaced only
     * by a reissue or when it is revoked or expired.
     */
    public static Outcome<Plan> checkSoftware(TokenFacts token, PendingIssuance pending, Optional<Holding> current,
                                              Instant now) {
        if (pending.status() != PendingIssuance.ShipmentStatus.PROVISIONED) {
            return Outcome.refused(Refusal.Reason.NOT_ISSUED,
                    "the token app has not fetched the token yet (POST /v1/provisioning)");
        }
        if (token.retiredAt().isPresent()) {
            return Outcome.refused(Refusal.Reason.TOKEN_RETIRED, "the software token was voided");
        }
        if (!now.isBefore(token.expiresAt())) {
            return Outcome.refused(Refusal.Reason.TOKEN_EXPIRED, "the token has expired");
        }
        Optional<Refusal> holdingRefusal = currentHolding(token.serial(), current, Optional.of(pending), now);
        return holdingRefusal.<Outcome<Plan>>map(Outcome::refused).orElseGet(() -> Outcome.done(new Plan(current)));
    }

    private static Optional<Refusal> currentHolding(String serial, Optional<Holding> current,
                                                    Optional<PendingIssuance> pending, Instant now) {
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Optional<Refusal> locked = LifecycleRules.lockOf(current);
        if (locked.isPresent()) {
            return locked; // R7: another token must not replace a locked one, expired or not
        }
        Holding h = current.get();
        if (h.state() == AssignmentState.ACTIVE && h.serial().equals(serial)) {
            return Optional.of(Refusal.of(Refusal.Reason.ALREADY_ACTIVE, "the user already uses this token"));
        }
        boolean replacing = h.state() == AssignmentState.REVOKED || h.state() == AssignmentState.SUSPENDED
                || h.expiredAt(now)
                || pending.filter(PendingIssuance::reissue).isPresent();
        if (!replacing) {
            return Optional.of(Refusal.of(Refusal.Reason.ALREADY_ACTIVE,
                    "the user already uses another token; request a reissue or deactivate it first"));
        }
        return Optional.empty();
    }
}
