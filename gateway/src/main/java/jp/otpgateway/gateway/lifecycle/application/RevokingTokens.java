package jp.otpgateway.gateway.lifecycle.application;

import jp.otpgateway.gateway.shared.application.Outcomes;
import jp.otpgateway.gateway.audit.application.port.AuditLog;
import jp.otpgateway.gateway.lifecycle.application.port.Assignments;
import jp.otpgateway.gateway.shared.application.RefusedInTransaction;
import jp.otpgateway.gateway.verification.application.VerifyingOtp;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.lifecycle.domain.LifecycleRules;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.gateway.lifecycle.domain.AssignmentState;
import jp.otpgateway.gateway.lifecycle.domain.Holding;
import jp.otpgateway.gateway.lifecycle.domain.UserOtpState;
import jp.otpgateway.gateway.lifecycle.domain.OtpStatus;
import jp.otpgateway.tenant.model.OperationPolicy;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.UserRole;
import jp.otpgateway.tenant.model.WithoutOtp;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Use case: a MASTER or ADMIN user revokes the tokens of selected users of the contract (R12), with
 * the actor's current code when the tenant's TOKEN_REVOCATION operation needs one (R9). A new
 * issuance for them waits for the cool-down and the maintenance window; the token itself may be
 * activated again.
 */
@Service
public class RevokingTokens {

    static final String OPERATION = "TOKEN_REVOCATION";

    public record Command(String contractId, String actor, List<String> loginIds, Optional<String> otp, String client) {
        public Command {
            loginIds = List.copyOf(loginIds);
        }
    }

    public record Revoked(String loginId, String serial, OtpStatus status) {
    }

    public record Result(List<Revoked> revoked, Instant issuanceAvailableAt) {
    }

    private final Assignments assignments;
    private final AuditLog audit;
    private final VerifyingOtp verifying;
    private final TransactionalOperator transaction;
    private final Clock clock;

    public RevokingTokens(Assignments assignments, AuditLog audit, VerifyingOtp verifying,
                          TransactionalOperator transaction, Clock clock) {
        this.assignments = assignments;
        this.audit = audit;
        this.verifying = verifying;
        this.transaction = transaction;
        this.clock = clock;
    }

    public Mono<Outcome<Result>> revoke(TenantConfig tenant, Command command) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return assignments.contract(tenant.id(), command.contractId()).collectList()
                    .flatMap(states -> states.isEmpty()
                            ? Mono.just(Outcome.<Result>refused(Refusal.Reason.CONTRACT_NOT_FOUND, "no such contract"))
                            : check(tenant, command, ContractMembers.of(states), now));
        });
    }

    private Mono<Outcome<Result>> check(TenantConfig tenant, Command command, ContractMembers members, Instant now) {
        Optional<Refusal> refusal = members.refuseActor(command.actor(), EnumSet.of(UserRole.MASTER, UserRole.ADMIN),
                "revoke tokens")
                .or(() -> members.refuseSelection(command.loginIds()));
        if (refusal.isPresent()) {
            return Mono.just(Outcome.refused(refusal.get()));
        }
        boolean otpRequired = tenant.operation(OPERATION).map(OperationPolicy::otpRequired).orElse(false);
        if (!otpRequired) {
            return write(tenant, command, members, now);
        }
        UserOtpState actor = members.byLogin().get(command.actor());
        if (!actor.statusAt(now).hasActiveOtp()) {
            // R9/R10: an otpRequired non-money operation by a user without OTP follows the tenant's policy.
            return tenant.withoutOtp().nonMoneyOperations() == WithoutOtp.NonMoneyPolicy.ALLOW
                    ? write(tenant, command, members, now)
                    : Mono.just(Outcome.refused(Refusal.Reason.OTP_NOT_ACTIVE,
                            "the tenant requires an OTP for revocation and the actor has none"));
        }
        if (command.otp().isEmpty()) {
            return Mono.just(Outcome.refused(Refusal.Reason.OTP_REQUIRED, "revocation needs the actor's current code (R9)"));
        }
        return verifying.verifyUser(tenant, command.actor(), command.otp().get(), OPERATION, command.client())
                .flatMap(verified -> Outcomes.andThen(verified, accepted -> write(tenant, command, members, now)));
    }

    /**
     * The branch revokes a user's token from a paper form (004: 失効), without a code: the same
     * revocation as an administrator's, with its cool-down (R12), for a user of any contract.
     */
    public Mono<Outcome<Result>> byBranch(TenantConfig tenant, String loginId, String staffId, String client) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return assignments.stateOf(tenant.id(), loginId)
                    .flatMap(state -> {
                        Optional<Refusal> suspended = LifecycleRules.suspensionOf(state.holding());
                        if (suspended.isPresent()) {
                            return Mono.just(Outcome.<Result>refused(suspended.get()));
                        }
                        if (ContractMembers.active(state).isEmpty()) {
                            return Mono.just(Outcome.<Result>refused(Refusal.Reason.OTP_NOT_ACTIVE,
                                    "the user has no active token"));
                        }
                        return write(tenant, new Command(state.user().contractId(), "", List.of(loginId),
                                Optional.empty(), client), ContractMembers.of(List.of(state)), Optional.of(staffId), now);
                    })
                    .defaultIfEmpty(Outcome.refused(Refusal.Reason.USER_NOT_FOUND, "no such user"));
        });
    }

    private Mono<Outcome<Result>> write(TenantConfig tenant, Command command, ContractMembers members, Instant now) {
        return write(tenant, command, members, Optional.empty(), now);
    }

    private Mono<Outcome<Result>> write(TenantConfig tenant, Command command, ContractMembers members,
                                        Optional<String> staffId, Instant now) {
        String t = tenant.id();
        List<Revoked> revoked = new ArrayList<>();
        List<AuditLog.Event> events = new ArrayList<>();
        Optional<String> actor = staffId.isPresent() ? Optional.empty() : Optional.of(command.actor());
        Flux<Boolean> moves = Flux.fromIterable(command.loginIds()).distinct().concatMap(login -> {
            Holding h = ContractMembers.active(members.byLogin().get(login)).orElseThrow();
            AssignmentState target = h.state().transitionTo(AssignmentState.REVOKED);
            revoked.add(new Revoked(login, h.serial(), OtpStatus.REVOKED));
            events.add(new AuditLog.Event(t, now, Optional.of(login), Optional.of(h.serial()), "REVOCATION",
                    staffId.isPresent() ? "REVOKED_BRANCH" : "REVOKED", command.client(), actor, staffId));
            return assignments.move(t, login, h.serial(), h.state(), target, now)
                    .flatMap(moved -> moved ? Mono.just(true)
                            : RefusedInTransaction.<Boolean>refuse(Refusal.Reason.OTP_NOT_ACTIVE,
                                    "the token of " + login + " changed meanwhile"));
        });
        Mono<Outcome<Result>> write = moves.then(Mono.defer(() -> audit.append(events)))
                .then(Mono.fromSupplier(() -> Outcome.done(new Result(List.copyOf(revoked),
                        LifecycleRules.issuanceAvailableAt(now, tenant.tokens(), tenant.timeZone())))));
        return RefusedInTransaction.recover(write.as(transaction::transactional));
    }
}
