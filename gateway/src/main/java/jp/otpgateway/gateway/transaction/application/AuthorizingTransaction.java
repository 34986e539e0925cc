package jp.otpgateway.gateway.transaction.application;

import jp.otpgateway.gateway.shared.application.Outcomes;
import jp.otpgateway.gateway.audit.application.port.AuditLog;
import jp.otpgateway.gateway.lifecycle.application.port.Assignments;
import jp.otpgateway.gateway.transaction.application.port.Transactions;
import jp.otpgateway.gateway.verification.application.VerifyingOtp;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import jp.otpgateway.gateway.lifecycle.domain.LifecycleRules;
import jp.otpgateway.gateway.lifecycle.domain.UserOtpState;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.gateway.shared.domain.DailyLimit;
import jp.otpgateway.gateway.transaction.domain.TransactionCommand;
import jp.otpgateway.gateway.transaction.domain.TransactionDecision;
import jp.otpgateway.gateway.transaction.domain.TransactionRules;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Use case: before it executes a banking operation the portal asks the gateway (R9, R10). The code,
 * when one is needed, goes through exactly the verification path ({@link VerifyingOtp}: same lock,
 * replay state and audit); without an active OTP money moves within the daily fallback limit.
 */
@Service
public class AuthorizingTransaction {

    /** An approval; {@code limit} is the day's fallback limit after this transaction when it was charged. */
    public record Approved(UUID transactionId, boolean otpVerified, Optional<DailyLimit> limit) {
    }

    private final Assignments assignments;
    private final VerifyingOtp verifying;
    private final Transactions transactions;
    private final AuditLog audit;
    private final Clock clock;
    private final MeterRegistry meters;

    public AuthorizingTransaction(Assignments assignments, VerifyingOtp verifying, Transactions transactions,
                                  AuditLog audit, Clock clock, MeterRegistry meters) {
        this.assignments = assignments;
        this.verifying = verifying;
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
        this.meters = meters;
    }

    public Mono<Outcome<Approved>> authorize(TenantConfig tenant, TransactionCommand command) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return assignments.stateOf(tenant.id(), command.loginId())
                    .flatMap(state -> decided(tenant, command, now, TransactionRules.decide(command.operation(),
                            command.payeeRegistered(), state.statusAt(now), barrier(tenant, command, state, now),
                            command.otp().isPresent(),
                            tenant.withoutOtp())))
                    .switchIfEmpty(Mono.fromSupplier(() -> Outcome.refused(Refusal.Reason.USER_NOT_FOUND, "no such user")))
                    .doOnNext(outcome -> count(tenant, outcome));
        });
    }

    /** A LOGIN also asks for a due activation (BLG020); every operation meets the lock, suspension and revocation. */
    private static Optional<Refusal> barrier(TenantConfig tenant, TransactionCommand command, UserOtpState state,
                                             Instant now) {
        if (TransactionRules.LOGIN.equals(command.operation().name())) {
            return LifecycleRules.loginBarrier(state.holding(), state.pending(),
                    tenant.tokens().hardware().activationRequiredAtLogin(), tenant.timeZone(), now);
        }
        return LifecycleRules.barrier(state.holding());
    }

    private Mono<Outcome<Approved>> decided(TenantConfig tenant, TransactionCommand command, Instant now,
                                            TransactionDecision decision) {
        if (decision instanceof TransactionDecision.Refuse refuse) {
            return Mono.just(Outcome.refused(refuse.refusal()));
        }
        if (decision instanceof TransactionDecision.ChargeLimit charge) {
            return charge(tenant, command, now, charge.daily());
        }
        if (decision instanceof TransactionDecision.VerifyOtp) {
            return verifying.verifyUser(tenant, command.loginId(), command.otp().orElseThrow(),
                            command.operation().name(), command.client())
                    .flatMap(verified -> Outcomes.andThen(verified, accepted -> approve(tenant, command, now, true)));
        }
        if (decision instanceof TransactionDecision.Approve) {
            return approve(tenant, command, now, false);
        }
        throw new IllegalStateException("unknown transaction decision " + decision);
    }

    private Mono<Outcome<Approved>> approve(TenantConfig tenant, TransactionCommand command, Instant now,
                                            boolean otpVerified) {
        return transactions.record(approval(tenant, command, now, otpVerified))
                .map(id -> Outcome.done(new Approved(id, otpVerified, Optional.empty())));
    }

    private Mono<Outcome<Approved>> charge(TenantConfig tenant, TransactionCommand command, Instant now, long daily) {
        Transactions.Approval approval = approval(tenant, command, now, false);
        return transactions.charge(approval, daily)
                .map(charged -> Outcome.done(new Approved(charged.transactionId(), false,
                        Optional.of(new DailyLimit(daily, charged.usedAfter())))))
                .switchIfEmpty(Mono.defer(() -> refuseOverLimit(tenant, command, now, approval.businessDate(), daily)));
    }

    private Mono<Outcome<Approved>> refuseOverLimit(TenantConfig tenant, TransactionCommand command, Instant now,
                                                    LocalDate day, long daily) {
        AuditLog.Event event = new AuditLog.Event(tenant.id(), now, Optional.of(command.loginId()), Optional.empty(),
                command.operation().name(), "LIMIT_EXCEEDED", command.client(), Optional.empty());
        return transactions.usedOn(tenant.id(), command.loginId(), day)
                .flatMap(used -> audit.append(List.of(event)).thenReturn(Outcome.<Approved>refused(
                        Refusal.limitExceeded(new DailyLimit(daily, used), command.amount()))));
    }

    private static Transactions.Approval approval(TenantConfig tenant, TransactionCommand command, Instant now,
                                                  boolean otpVerified) {
        return new Transactions.Approval(tenant.id(), command.loginId(), command.operation().name(), command.amount(),
                command.payeeRegistered(), otpVerified, TransactionRules.businessDate(now, tenant.timeZone()), now,
                command.client(), command.requestKey());
    }

    private void count(TenantConfig tenant, Outcome<Approved> outcome) {
        String decision = outcome.fold(refusal -> refusal.reason().name(), approved -> "APPROVED");
        meters.counter("otp.transactions", "tenant", tenant.id(), "decision", decision).increment();
    }
}
