package jp.otpgateway.gateway.lifecycle.application;

import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import jp.otpgateway.gateway.lifecycle.domain.LifecycleRules;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.gateway.lifecycle.domain.AssignmentState;
import jp.otpgateway.gateway.lifecycle.domain.Holding;
import jp.otpgateway.gateway.lifecycle.domain.UserOtpState;
import jp.otpgateway.tenant.model.UserRole;

/** The users of one contract with their tokens, as an administrator acting on it sees them (R8, R12). */
record ContractMembers(Map<String, UserOtpState> byLogin) {

    static ContractMembers of(List<UserOtpState> states) {
        return new ContractMembers(states.stream()
                .collect(Collectors.toMap(s -> s.user().loginId(), Function.identity())));
    }

    /**
     * Refused unless the actor is a user of this contract with one of the roles, who may use the
     * service: an actor whose own token is locked or revoked cannot log in (R7, R12), so cannot act.
     */
    Optional<Refusal> refuseActor(String actor, Set<UserRole> roles, String what) {
        UserOtpState state = byLogin.get(actor);
        if (state == null || !roles.contains(state.user().role())) {
            return Optional.of(Refusal.of(Refusal.Reason.FORBIDDEN,
                    "the actor must be a user of this contract with role " + roles + " to " + what));
        }
        return LifecycleRules.barrier(state.holding()).map(barred -> Refusal.of(Refusal.Reason.FORBIDDEN,
                "the actor cannot use the service and so cannot " + what + ": " + barred.detail()));
    }

    /** Refused unless every selected user belongs to this contract and holds an active token. */
    Optional<Refusal> refuseSelection(List<String> loginIds) {
        for (String login : loginIds) {
            UserOtpState state = byLogin.get(login);
            if (state == null) {
                return Optional.of(Refusal.of(Refusal.Reason.USER_NOT_FOUND, "no such user in this contract: " + login));
            }
            if (active(state).isEmpty()) {
                return Optional.of(Refusal.of(Refusal.Reason.OTP_NOT_ACTIVE, "the user has no active token: " + login));
            }
        }
        return Optional.empty();
    }

    static Optional<Holding> active(UserOtpState state) {
        return state.holding().filter(h -> h.state() == AssignmentState.ACTIVE);
    }
}
