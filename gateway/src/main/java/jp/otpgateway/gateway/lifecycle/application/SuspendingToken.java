package jp.otpgateway.gateway.lifecycle.application;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.audit.application.port.AuditLog;
import jp.otpgateway.gateway.lifecycle.application.port.Assignments;
import jp.otpgateway.gateway.lifecycle.application.port.Tokens;
import jp.otpgateway.gateway.lifecycle.domain.AssignmentState;
import jp.otpgateway.gateway.lifecycle.domain.LossReason;
import jp.otpgateway.gateway.lifecycle.domain.OtpStatus;
import jp.otpgateway.gateway.lifecycle.domain.TokenFacts;
import jp.otpgateway.gateway.mail.application.port.MailOutbox;
import jp.otpgateway.gateway.shared.application.RefusedInTransaction;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.TokenKind;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Use case: the branch records a paper form reporting a hardware token lost or broken (000:
 * ハードトークンが故障・紛失した場合、登録会所定の書類での申請が必要). At once, for every user who
 * holds it (sharers too, R6), every operation is refused with TOKEN_SUSPENDED, on every instance (the
 * assignments' change is announced like a revocation); the token is retired and can never be
 * activated again; each holder with an address gets a mail. It ends per user with the activation of
 * a reissued token or a deactivation by the branch.
 */
@Service
public class SuspendingToken {

    public record Command(String serial, LossReason reason, String staffId, String client) {
    }

    public record Suspended(String loginId, String serial, OtpStatus status) {
    }

    private final Tokens tokens;
    private final Assignments assignments;
    private final MailOutbox mails;
    private final AuditLog audit;
    private final TransactionalOperator transaction;
    private final Clock clock;

    public SuspendingToken(Tokens tokens, Assignments assignments, MailOutbox mails, AuditLog audit,
                           TransactionalOperator transaction, Clock clock) {
        this.tokens = tokens;
        this.assignments = assignments;
        this.mails = mails;
        this.audit = audit;
        this.transaction = transaction;
        this.clock = clock;
    }

    public Mono<Outcome<List<Suspended>>> suspend(TenantConfig tenant, Command command) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return tokens.facts(tenant.id(), command.serial())
                    .map(token -> refusal(token).<Outcome<TokenFacts>>map(Outcome::refused)
                            .orElseGet(() -> Outcome.done(token)))
                    .flatMap(checked -> checked.fold(refused -> Mono.just(Outcome.<List<Suspended>>refused(refused)),
                            token -> write(tenant, command, now)))
                    .defaultIfEmpty(Outcome.refused(Refusal.Reason.TOKEN_NOT_FOUND, "no such serial"));
        });
    }

    /** What the report cannot suspend; checked again under the token's row lock in {@link #write}. */
    static Optional<Refusal> refusal(TokenFacts token) {
        if (token.kind() != TokenKind.HARDWARE) {
            return Optional.of(Refusal.of(Refusal.Reason.KIND_MISMATCH, "a software token is not reported lost:"
                    + " the branch deactivates it and the user sets up the app again (R14)"));
        }
        if (token.suspension().isPresent()) {
            return Optional.of(Refusal.of(Refusal.Reason.TOKEN_SUSPENDED, "the token was already reported "
                    + token.suspension().get()));
        }
        if (token.retiredAt().isPresent()) {
            return Optional.of(Refusal.of(Refusal.Reason.TOKEN_RETIRED, "the token was retired; nobody can use it"));
        }
        if (token.holders().isEmpty()) {
            return Optional.of(Refusal.of(Refusal.Reason.OTP_NOT_ACTIVE, "no user holds the token"));
        }
        return Optional.empty();
    }

    /*
     * The token's row is updated first: it takes the row lock that an activation's or a shipment's
     * bind also takes, so the holders read next are all there are; a holder who activated meanwhile
     * is suspended too, and an activation after this commit finds the token retired.
     */
    private Mono<Outcome<List<Suspended>>> write(TenantConfig tenant, Command command, Instant now) {
        String t = tenant.id();
        String serial = command.serial();
        List<Suspended> suspended = new ArrayList<>();
        List<AuditLog.Event> events = new ArrayList<>();
        Mono<Outcome<List<Suspended>>> write = tokens.suspend(t, serial, command.reason().name(), now)
                .flatMap(done -> done ? tokens.facts(t, serial)
                        : RefusedInTransaction.<TokenFacts>refuse(Refusal.Reason.TOKEN_SUSPENDED,
                                "the token was reported or retired meanwhile"))
                .flatMapMany(token -> Flux.fromIterable(token.holders()))
                .concatMap(holder -> {
                    AssignmentState target = holder.state().suspendedByReport();
                    suspended.add(new Suspended(holder.loginId(), serial, OtpStatus.SUSPENDED));
                    events.add(new AuditLog.Event(t, now, Optional.of(holder.loginId()), Optional.of(serial),
                            "SUSPENSION", "SUSPENDED_" + command.reason().name(), command.client(), Optional.empty())
                            .byStaff(command.staffId()));
                    return assignments.move(t, holder.loginId(), serial, holder.state(), target, now)
                            .flatMap(moved -> moved ? Mono.just(holder.loginId())
                                    : RefusedInTransaction.<String>refuse(Refusal.Reason.OTP_NOT_ACTIVE,
                                            "the token of " + holder.loginId() + " changed meanwhile"));
                })
                .collectList()
                .flatMap(logins -> mails.queueSuspensionNotices(t, serial, logins, now))
                .then(Mono.defer(() -> audit.append(events)))
                .then(Mono.fromSupplier(() -> Outcome.done(List.copyOf(suspended))));
        return RefusedInTransaction.recover(write.as(transaction::transactional));
    }
}
