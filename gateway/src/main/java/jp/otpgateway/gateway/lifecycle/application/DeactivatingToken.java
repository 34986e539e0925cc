package jp.otpgateway.gateway.lifecycle.application;

import jp.otpgateway.gateway.shared.application.Outcomes;
import jp.otpgateway.gateway.audit.application.port.AuditLog;
import jp.otpgateway.gateway.lifecycle.application.port.Assignments;
import jp.otpgateway.gateway.lifecycle.application.port.Tokens;
import jp.otpgateway.gateway.shared.application.RefusedInTransaction;
import jp.otpgateway.gateway.verification.application.VerifyingOtp;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.lifecycle.domain.LifecycleRules;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.gateway.lifecycle.domain.AssignmentState;
import jp.otpgateway.gateway.lifecycle.domain.Holding;
import jp.otpgateway.gateway.lifecycle.domain.OtpStatus;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Use case: the user stops using OTP (R11), with a current code where the tenant requires it. The
 * user may never activate that token again; the token is retired when its last user leaves. An
 * expired token cannot prove anything any more, so leaving it needs no code. A locked token cannot be
 * left: that would shed the lock (R7).
 */
@Service
public class DeactivatingToken {

    public record Command(String loginId, Optional<String> otp, String client) {
    }

    private final Assignments assignments;
    private final Tokens tokens;
    private final AuditLog audit;
    private final VerifyingOtp verifying;
    private final TransactionalOperator transaction;
    private final Clock clock;

    public DeactivatingToken(Assignments assignments, Tokens tokens, AuditLog audit, VerifyingOtp verifying,
                             TransactionalOperator transaction, Clock clock) {
        this.assignments = assignments;
        this.tokens = tokens;
        this.audit = audit;
        this.verifying = verifying;
        this.transaction = transaction;
        this.clock = clock;
    }

    public Mono<Outcome<OtpStatus>> deactivate(TenantConfig tenant, Command command) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return assignments.stateOf(tenant.id(), command.loginId())
                    .flatMap(state -> {
                        Optional<Refusal> locked = LifecycleRules.lockOf(state.holding());
                        if (locked.isPresent()) {
                            return Mono.just(Outcome.<OtpStatus>refused(locked.get()));
                        }
                        Optional<Refusal> suspended = LifecycleRules.suspensionOf(state.holding());
                        if (suspended.isPresent()) {
                            return Mono.just(Outcome.<OtpStatus>refused(suspended.get()));
                        }
                        Optional<Holding> active = state.holding().filter(h -> h.state() == AssignmentState.ACTIVE);
                        if (active.isEmpty()) {
                            return Mono.just(Outcome.<OtpStatus>refused(Refusal.Reason.OTP_NOT_ACTIVE,
                                    "the user has no active OTP token"));
                        }
                        Holding holding = active.get();
                        if (!tenant.tokens().deactivationRequiresOtp() || holding.expiredAt(now)) {
                            return write(tenant, command.loginId(), holding, command.client(), Optional.empty(), now);
                        }
                        if (command.otp().isEmpty()) {
                            return Mono.just(Outcome.<OtpStatus>refused(Refusal.Reason.OTP_REQUIRED,
                                    "the tenant requires the current code to deactivate (R11)"));
                        }
                        return verifying.verifyUser(tenant, command.loginId(), command.otp().get(), "DEACTIVATION",
                                        command.client())
                                .flatMap(verified -> Outcomes.andThen(verified,
                                        accepted -> write(tenant, command.loginId(), holding, command.client(),
                                                Optional.empty(), now)));
                    })
                    .defaultIfEmpty(Outcome.refused(Refusal.Reason.USER_NOT_FOUND, "no such user"));
        });
    }

    /**
     * The branch deactivates on the user's behalf from a paper form (000: 利用解除), without a code:
     * the user may have lost the token, also where the tenant requires a code from the user. Any
     * current token may be left this way (active, revoked, suspended after a loss report); a locked
     * one is unlocked first, so that the lock is never shed unseen (R7).
     */
    public Mono<Outcome<OtpStatus>> byBranch(TenantConfig tenant, String loginId, String staffId, String client) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return assignments.stateOf(tenant.id(), loginId)
                    .flatMap(state -> {
                        Optional<Refusal> locked = LifecycleRules.lockOf(state.holding());
                        if (locked.isPresent()) {
                            return Mono.just(Outcome.<OtpStatus>refused(Refusal.of(Refusal.Reason.OTP_LOCKED,
                                    "the token is locked (R7): unlock it (POST …/operator/unlocks) before the deactivation")));
                        }
                        return state.holding()
                                .map(holding -> write(tenant, loginId, holding, client, Optional.of(staffId), now))
                                .orElseGet(() -> Mono.just(Outcome.refused(Refusal.Reason.OTP_NOT_ACTIVE,
                                        "the user holds no token")));
                    })
                    .defaultIfEmpty(Outcome.refused(Refusal.Reason.USER_NOT_FOUND, "no such user"));
        });
    }

    private Mono<Outcome<OtpStatus>> write(TenantConfig tenant, String loginId, Holding holding, String client,
                                           Optional<String> staffId, Instant now) {
        String t = tenant.id();
        AssignmentState target = holding.state().deactivated();
        Mono<Outcome<OtpStatus>> write = assignments.move(t, loginId, holding.serial(), holding.state(), target, now)
                .flatMap(moved -> moved ? tokens.retireIfUnheld(t, holding.serial(), now)
                        : RefusedInTransaction.<Boolean>refuse(Refusal.Reason.OTP_NOT_ACTIVE,
                                "the user's token changed meanwhile"))
                .flatMap(retired -> {
                    AuditLog.Event left = new AuditLog.Event(t, now, Optional.of(loginId),
                            Optional.of(holding.serial()), "DEACTIVATION",
                            staffId.isPresent() ? "DEACTIVATED_BRANCH" : "DEACTIVATED", client, Optional.empty(),
                            staffId);
                    AuditLog.Event retirement = new AuditLog.Event(t, now, Optional.empty(), Optional.of(holding.serial()),
                            "RETIREMENT", "RETIRED", client, Optional.empty(), staffId);
                    return audit.append(retired ? List.of(left, retirement) : List.of(left));
                })
                .thenReturn(Outcome.done(OtpStatus.UNREGISTERED));
        return RefusedInTransaction.recover(write.as(transaction::transactional));
    }
}
