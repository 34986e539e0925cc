package jp.otpgateway.gateway.lifecycle.application;

import jp.otpgateway.gateway.shared.application.Outcomes;
import jp.otpgateway.gateway.audit.application.port.AuditLog;
import jp.otpgateway.gateway.lifecycle.application.port.ActivationWrites;
import jp.otpgateway.gateway.lifecycle.application.port.Assignments;
import jp.otpgateway.gateway.lifecycle.application.port.Shipments;
import jp.otpgateway.gateway.lifecycle.application.port.Tokens;
import jp.otpgateway.gateway.lifecycle.application.port.SoftwareSetups;
import jp.otpgateway.gateway.shared.application.RefusedInTransaction;
import jp.otpgateway.gateway.verification.application.VerifyingOtp;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.lifecycle.domain.ActivationPolicy;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.gateway.lifecycle.domain.AssignmentState;
import jp.otpgateway.gateway.lifecycle.domain.Holding;
import jp.otpgateway.gateway.lifecycle.domain.PendingIssuance;
import jp.otpgateway.gateway.lifecycle.domain.TokenFacts;
import jp.otpgateway.gateway.lifecycle.domain.UserOtpState;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.TokenKind;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Use case: a user activates the software token issued to them with a current code from the app
 * (R3), or a hardware token with its serial and a current code (R5). A hardware token may be a
 * token another user of the contract already uses (R6), one handed over at the branch, a revoked
 * one again (R12), or the new token of a reissue, which ends the old hold (R13). The rules are
 * checked before the code is tried; a wrong code counts against the token like any other (R7).
 */
@Service
public class ActivatingToken {

    /** {@code serial}: null for the user's software token (or its serial). */
    public record Command(String loginId, String serial, String otp, String client) {
    }

    public record Activated(String serial, TokenKind kind, Instant expiresAt, List<String> sharedWith) {
        public Activated {
            sharedWith = List.copyOf(sharedWith);
        }
    }

    private static final String RETIRED_MEANWHILE = "the token was reported lost or broken meanwhile";
    private static final String OTHER_CONTRACT_MEANWHILE = "the token was bound to another contract meanwhile";
    private static final String ACTIVATION_WON_MEANWHILE = "a concurrent activation for the user won";

    private final Assignments assignments;
    private final Tokens tokens;
    private final Shipments shipments;
    private final SoftwareSetups setups;
    private final ActivationWrites writes;
    private final AuditLog audit;
    private final VerifyingOtp verifying;
    private final TransactionalOperator transaction;
    private final Clock clock;

    public ActivatingToken(Assignments assignments, Tokens tokens, Shipments shipments, SoftwareSetups setups,
                           ActivationWrites writes, AuditLog audit, VerifyingOtp verifying,
                           TransactionalOperator transaction, Clock clock) {
        this.assignments = assignments;
        this.tokens = tokens;
        this.shipments = shipments;
        this.setups = setups;
        this.writes = writes;
        this.audit = audit;
        this.verifying = verifying;
        this.transaction = transaction;
        this.clock = clock;
    }

    public Mono<Outcome<Activated>> activate(TenantConfig tenant, Command command) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return assignments.stateOf(tenant.id(), command.loginId())
                    .flatMap(state -> software(state, command.serial()).isPresent() || command.serial() == null
                            ? activateSoftware(tenant, command, state, now)
                            : tokens.forActivation(tenant.id(), command.loginId(), command.serial())
                            .flatMap(found -> check(tenant, command, state, found, now))
                            .defaultIfEmpty(Outcome.refused(Refusal.Reason.TOKEN_NOT_FOUND, "no such serial")))
                    .defaultIfEmpty(Outcome.refused(Refusal.Reason.USER_NOT_FOUND, "no such user"));
        });
    }

    /** The user's pending software token, when the command means it (no serial, or its serial). */
    private static Optional<PendingIssuance> software(UserOtpState state, String serial) {
        return state.pending().filter(p -> p.kind() == TokenKind.SOFTWARE)
                .filter(p -> serial == null || p.serial().filter(serial::equals).isPresent());
    }

    private Mono<Outcome<Activated>> activateSoftware(TenantConfig tenant, Command command, UserOtpState state,
                                                      Instant now) {
        Optional<PendingIssuance> pending = software(state, command.serial());
        if (pending.isEmpty()) {
            return Mono.just(Outcome.refused(Refusal.Reason.NOT_ISSUED,
                    "no software token was issued to the user; a hardware activation needs the serial"));
        }
        String serial = pending.get().serial().orElseThrow();
        return tokens.forActivation(tenant.id(), command.loginId(), serial).flatMap(found -> {
            Outcome<ActivationPolicy.Plan> checked = ActivationPolicy.checkSoftware(found.facts(), pending.get(),
                    state.holding(), now);
            return Outcomes.andThen(checked, plan -> verifyAndWrite(tenant, command, state, found, plan, now));
        });
    }

    private Mono<Outcome<Activated>> check(TenantConfig tenant, Command command, UserOtpState state,
                                           Tokens.ForActivation found, Instant now) {
        Outcome<ActivationPolicy.Plan> checked = ActivationPolicy.check(command.loginId(), state.user().contractId(),
                found.facts(), state.holding(), found.deactivatedByUser(), state.pending(),
                tenant.tokens().hardware().sharing(), now);
        return Outcomes.andThen(checked, plan -> verifyAndWrite(tenant, command, state, found, plan, now));
    }

    private Mono<Outcome<Activated>> verifyAndWrite(TenantConfig tenant, Command command, UserOtpState state,
                                                    Tokens.ForActivation found, ActivationPolicy.Plan plan,
                                                    Instant now) {
        return verifying.attempt(tenant, command.loginId(), found.record(), command.otp(), "ACTIVATION",
                        command.client(), now)
                .flatMap(verified -> Outcomes.andThen(verified,
                        accepted -> write(tenant, command, state, found.facts(), plan.superseded(), now)));
    }

    private Mono<Outcome<Activated>> write(TenantConfig tenant, Command command, UserOtpState state, TokenFacts token,
                                           Optional<Holding> superseded, Instant now) {
        if (superseded.isEmpty() && token.kind() == TokenKind.HARDWARE) {
            return firstHardware(tenant, command, state, token, now);
        }
        String t = tenant.id();
        String login = command.loginId();
        Mono<Void> endPrevious = superseded.map(old -> {
            AssignmentState target = old.state().supersededByActivation();
            return assignments.move(t, login, old.serial(), old.state(), target, now)
                    .flatMap(moved -> moved ? Mono.<Void>empty()
                            : RefusedInTransaction.<Void>refuse(Refusal.Reason.ALREADY_ACTIVE,
                                    "the user's token changed meanwhile"))
                    .then(old.serial().equals(token.serial()) ? Mono.<Void>empty()
                            : tokens.retireIfUnheld(t, old.serial(), now).then());
        }).orElse(Mono.empty());
        Mono<Outcome<Activated>> write = tokens.bindToContract(t, token.serial(), state.user().contractId())
                .flatMap(binding -> switch (binding) {
                    case BOUND -> endPrevious;
                    case RETIRED -> RefusedInTransaction.<Void>refuse(Refusal.Reason.TOKEN_RETIRED,
                            RETIRED_MEANWHILE);
                    case OTHER_CONTRACT -> RefusedInTransaction.<Void>refuse(Refusal.Reason.TOKEN_OTHER_CONTRACT,
                            OTHER_CONTRACT_MEANWHILE);
                })
                .then(RefusedInTransaction.onDuplicate(assignments.start(t, login, token.serial(), now),
                        Refusal.Reason.ALREADY_ACTIVE, ACTIVATION_WON_MEANWHILE))
                .then(token.kind() == TokenKind.SOFTWARE
                        ? setups.complete(t, login, token.serial(), now).flatMap(done -> done ? Mono.<Void>empty()
                                : RefusedInTransaction.<Void>refuse(Refusal.Reason.NOT_ISSUED,
                                        "the software token was replaced meanwhile"))
                        : shipments.complete(t, login, now).then(setups.voidOpen(t, login, now)))
                .then(audit.append(List.of(new AuditLog.Event(t, now, Optional.of(login), Optional.of(token.serial()),
                        "ACTIVATION", "ACTIVATED", command.client(), Optional.empty()))))
                .then(assignments.stateOf(t, login))
                .map(after -> Outcome.done(new Activated(token.serial(), token.kind(), token.expiresAt(),
                        after.sharedWith())));
        return RefusedInTransaction.recover(write.as(transaction::transactional));
    }

    /**
     * A user's first hardware token (the go-live case): the same writes as {@link #write}'s
     * transaction, in one statement group-committed with parallel activations (issue #16).
     */
    private Mono<Outcome<Activated>> firstHardware(TenantConfig tenant, Command command, UserOtpState state,
                                                   TokenFacts token, Instant now) {
        return writes.firstHardware(new ActivationWrites.FirstHardware(tenant.id(), command.loginId(), token.serial(),
                        state.user().contractId(), now, command.client()))
                .map(written -> switch (written.result()) {
                    case ACTIVATED -> Outcome.done(new Activated(token.serial(), token.kind(), token.expiresAt(),
                            written.sharedWith()));
                    case RETIRED -> Outcome.refused(Refusal.Reason.TOKEN_RETIRED,
                            RETIRED_MEANWHILE);
                    case OTHER_CONTRACT -> Outcome.refused(Refusal.Reason.TOKEN_OTHER_CONTRACT,
                            OTHER_CONTRACT_MEANWHILE);
                    case ALREADY_ACTIVE -> Outcome.refused(Refusal.Reason.ALREADY_ACTIVE,
                            ACTIVATION_WON_MEANWHILE);
                    case NO_TOKEN -> Outcome.refused(Refusal.Reason.TOKEN_NOT_FOUND, "no such serial");
                });
    }
}
