package jp.otpgateway.gateway.branch.application;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.audit.application.port.AuditLog;
import jp.otpgateway.gateway.billing.application.port.FeeEvents;
import jp.otpgateway.gateway.lifecycle.application.port.Assignments;
import jp.otpgateway.gateway.lifecycle.application.port.Shipments;
import jp.otpgateway.gateway.lifecycle.application.port.Tokens;
import jp.otpgateway.gateway.lifecycle.domain.Holding;
import jp.otpgateway.gateway.lifecycle.domain.IssuancePolicy;
import jp.otpgateway.gateway.lifecycle.domain.LossReason;
import jp.otpgateway.gateway.lifecycle.domain.UserOtpState;
import jp.otpgateway.gateway.shared.application.Outcomes;
import jp.otpgateway.gateway.shared.application.RefusedInTransaction;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.gateway.user.application.port.Users;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Use case: after a loss or damage report the branch requests a new hardware token for a suspended
 * user (000: 再発行), without a code. The shipment, the reissue fee (R15, 002: ハードウェアトークン
 * 再発行手数料) and the audit event are written together or not at all. The suspension ends when the
 * user activates the new token; the lost one stays retired.
 */
@Service
public class ReissuingAfterLoss {

    public record Command(String loginId, String staffId, String client) {
    }

    public record Reissued(long shipmentId, String lostSerial) {
    }

    private final Assignments assignments;
    private final Tokens tokens;
    private final Shipments shipments;
    private final Users users;
    private final FeeEvents fees;
    private final AuditLog audit;
    private final TransactionalOperator transaction;
    private final Clock clock;

    public ReissuingAfterLoss(Assignments assignments, Tokens tokens, Shipments shipments, Users users, FeeEvents fees,
                              AuditLog audit, TransactionalOperator transaction, Clock clock) {
        this.assignments = assignments;
        this.tokens = tokens;
        this.shipments = shipments;
        this.users = users;
        this.fees = fees;
        this.audit = audit;
        this.transaction = transaction;
        this.clock = clock;
    }

    public Mono<Outcome<Reissued>> reissue(TenantConfig tenant, Command command) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return assignments.stateOf(tenant.id(), command.loginId())
                    .flatMap(state -> Outcomes.andThen(IssuancePolicy.reissueAfterLoss(state.holding(), state.pending()),
                            plan -> reasonOf(tenant, state.holding().orElseThrow())
                                    .flatMap(reason -> write(tenant, command, state, reason, now))))
                    .defaultIfEmpty(Outcome.refused(Refusal.Reason.USER_NOT_FOUND, "no such user"));
        });
    }

    private Mono<LossReason> reasonOf(TenantConfig tenant, Holding suspended) {
        return tokens.facts(tenant.id(), suspended.serial())
                .map(token -> token.suspension().orElseThrow(() -> new IllegalStateException(
                        "a suspended hold on a token without a suspension: " + suspended.serial())));
    }

    /*
     * The user's row lock orders this against a concurrent issuance or deactivation, and the state is
     * checked again under it; the open-shipment index refuses a second reissue; the fee event is
     * unique per shipment.
     */
    private Mono<Outcome<Reissued>> write(TenantConfig tenant, Command command, UserOtpState state, LossReason reason,
                                          Instant now) {
        String t = tenant.id();
        String lost = state.holding().orElseThrow().serial();
        Mono<Outcome<Reissued>> write = users.lock(t, command.loginId())
                .then(assignments.stateOf(t, command.loginId()))
                .flatMap(fresh -> IssuancePolicy.reissueAfterLoss(fresh.holding(), fresh.pending())
                        .fold(refused -> RefusedInTransaction.<Boolean>refuse(refused.reason(), refused.detail()),
                                plan -> fresh.holding().filter(h -> h.serial().equals(lost)).isPresent()
                                        ? Mono.just(true)
                                        : RefusedInTransaction.<Boolean>refuse(Refusal.Reason.TOKEN_NOT_SUSPENDED,
                                                "the user's token changed meanwhile")))
                .then(RefusedInTransaction.onDuplicate(
                        shipments.request(t, command.loginId(), IssuancePolicy.Channel.BRANCH, true, now),
                        Refusal.Reason.ISSUANCE_PENDING, "a token was already requested for the user"))
                .switchIfEmpty(RefusedInTransaction.refuse(Refusal.Reason.ISSUANCE_PENDING,
                        "a software token was issued to the user meanwhile"))
                .flatMap(shipmentId -> fees.reissue(new FeeEvents.Reissue(t, state.user().contractId(), command.loginId(),
                                lost, shipmentId, reason, now, command.staffId()))
                        .then(audit.append(List.of(new AuditLog.Event(t, now, Optional.of(command.loginId()),
                                Optional.of(lost), "REISSUE", "REQUESTED_AFTER_" + reason.name(), command.client(),
                                Optional.empty()).byStaff(command.staffId()))))
                        .thenReturn(Outcome.done(new Reissued(shipmentId, lost))));
        return RefusedInTransaction.recover(write.as(transaction::transactional));
    }
}
