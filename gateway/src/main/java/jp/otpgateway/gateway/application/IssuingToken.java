package jp.otpgateway.gateway.application;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.domain.lifecycle.IssuancePolicy;
import jp.otpgateway.gateway.domain.lifecycle.Outcome;
import jp.otpgateway.gateway.domain.lifecycle.Refusal;
import jp.otpgateway.gateway.domain.token.UserOtpState;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.TokenKind;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Use case: a hardware token is requested for a user, by the user through the portal or by the
 * branch from a paper form (R4); a reissue before expiry needs the current code through the portal
 * (R13); after a revocation the request waits for the cool-down (R12).
 */
@Service
public class IssuingToken {

    /** {@code otp}: ASCII digits, already read; required for a reissue through the portal. */
    public record Command(String loginId, TokenKind kind, Optional<String> otp, IssuancePolicy.Channel channel,
                          String client) {
    }

    public record Issued(long shipmentId, TokenKind kind, boolean reissue) {
    }

    private final Assignments assignments;
    private final Shipments shipments;
    private final AuditLog audit;
    private final VerifyingOtp verifying;
    private final TransactionalOperator transaction;
    private final Clock clock;

    public IssuingToken(Assignments assignments, Shipments shipments, AuditLog audit, VerifyingOtp verifying,
                        TransactionalOperator transaction, Clock clock) {
        this.assignments = assignments;
        this.shipments = shipments;
        this.audit = audit;
        this.verifying = verifying;
        this.transaction = transaction;
        this.clock = clock;
    }

    public Mono<Outcome<Issued>> issue(TenantConfig tenant, Command command) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return assignments.stateOf(tenant.id(), command.loginId())
                    .flatMap(state -> decide(tenant, command, state, now))
                    .defaultIfEmpty(Outcome.refused(Refusal.Reason.USER_NOT_FOUND, "no such user"));
        });
    }

    private Mono<Outcome<Issued>> decide(TenantConfig tenant, Command command, UserOtpState state, Instant now) {
        Outcome<IssuancePolicy.Plan> decision = IssuancePolicy.decide(state.holding(), state.pending(), command.kind(),
                tenant, command.channel(), now);
        if (decision instanceof Outcome.Refused<IssuancePolicy.Plan> refused) {
            return Mono.just(Outcome.refused(refused.refusal()));
        }
        IssuancePolicy.Plan plan = ((Outcome.Done<IssuancePolicy.Plan>) decision).value();
        if (!plan.otpRequired()) {
            return record(tenant, command, plan, now);
        }
        if (command.otp().isEmpty()) {
            return Mono.just(Outcome.refused(Refusal.Reason.OTP_REQUIRED, "a reissue needs the current code (R13)"));
        }
        return verifying.verifyUser(tenant, command.loginId(), command.otp().get(), "REISSUE", command.client())
                .flatMap(verified -> verified instanceof Outcome.Refused<VerifyingOtp.Accepted> r
                        ? Mono.just(Outcome.<Issued>refused(r.refusal()))
                        : record(tenant, command, plan, now));
    }

    private Mono<Outcome<Issued>> record(TenantConfig tenant, Command command, IssuancePolicy.Plan plan, Instant now) {
        Mono<Outcome<Issued>> write = RefusedInTransaction.onDuplicate(
                        shipments.request(tenant.id(), command.loginId(), command.channel(), plan.reissue(), now),
                        Refusal.Reason.ISSUANCE_PENDING, "a token was already requested for the user")
                .flatMap(id -> audit.append(List.of(new AuditLog.Event(tenant.id(), now, Optional.of(command.loginId()),
                                Optional.empty(), plan.reissue() ? "REISSUE" : "ISSUANCE",
                                "REQUESTED_" + command.channel().name(), command.client(), Optional.empty())))
                        .thenReturn(Outcome.done(new Issued(id, command.kind(), plan.reissue()))));
        return RefusedInTransaction.recover(write.as(transaction::transactional));
    }
}
