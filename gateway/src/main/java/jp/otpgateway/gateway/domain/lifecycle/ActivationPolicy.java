package jp.otpgateway.gateway.domain.lifecycle;

import java.time.Instant;
import java.util.Optional;
import jp.otpgateway.gateway.domain.token.AssignmentState;
import jp.otpgateway.gateway.domain.token.Holding;
import jp.otpgateway.gateway.domain.token.PendingIssuance;
import jp.otpgateway.gateway.domain.token.TokenFacts;
import jp.otpgateway.tenant.model.TokenKind;

/**
 * R5, R6, R11–R13: whether a user may activate a hardware token by its serial. Checked before the
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
            return Outcome.refused(Refusal.Reason.TOKEN_RETIRED, "the token was retired by deactivation (R11)");
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
        if (current.isPresent()) {
            Holding h = current.get();
            if (h.state() == AssignmentState.ACTIVE && h.serial().equals(token.serial())) {
                return Outcome.refused(Refusal.Reason.ALREADY_ACTIVE, "the user already uses this token");
            }
            boolean replacing = h.state() == AssignmentState.REVOKED || h.expiredAt(now)
                    || pending.filter(PendingIssuance::reissue).isPresent();
            if (!replacing) {
                return Outcome.refused(Refusal.Reason.ALREADY_ACTIVE,
                        "the user already uses another token; request a reissue or deactivate it first");
            }
        }
        boolean othersUseIt = token.holders().stream()
                .anyMatch(h -> h.state() == AssignmentState.ACTIVE && !h.loginId().equals(loginId));
        if (othersUseIt && !sharing) {
            return Outcome.refused(Refusal.Reason.TOKEN_IN_USE, "the tenant does not allow sharing a token (R6)");
        }
        return Outcome.done(new Plan(current));
    }
}
