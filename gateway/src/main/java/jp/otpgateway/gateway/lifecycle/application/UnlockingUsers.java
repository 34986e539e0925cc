package jp.otpgateway.gateway.lifecycle.application;

import jp.otpgateway.gateway.audit.application.port.AuditLog;
import jp.otpgateway.gateway.lifecycle.application.port.Assignments;
import jp.otpgateway.gateway.lifecycle.application.port.Tokens;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.gateway.lifecycle.domain.Holding;
import jp.otpgateway.gateway.lifecycle.domain.UserOtpState;
import jp.otpgateway.gateway.lifecycle.domain.OtpStatus;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.UserRole;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Use case: locked tokens are unlocked (R8). The lock belongs to the token (R7), so unlocking one
 * user unlocks every user sharing that serial, and the answer lists them all. Through the contract
 * the actor must hold one of the tenant's {@code unlockBy} roles; a locked MASTER user and tenants
 * whose unlock is operator-only go through the operator.
 */
@Service
public class UnlockingUsers {

    public record Unlocked(String loginId, String serial, OtpStatus status) {
    }

    private final Assignments assignments;
    private final Tokens tokens;
    private final AuditLog audit;
    private final TransactionalOperator transaction;
    private final Clock clock;

    public UnlockingUsers(Assignments assignments, Tokens tokens, AuditLog audit, TransactionalOperator transaction,
                          Clock clock) {
        this.assignments = assignments;
        this.tokens = tokens;
        this.audit = audit;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** POST …/contracts/{c}/unlocks on behalf of {@code actor}. */
    public Mono<Outcome<List<Unlocked>>> byContract(TenantConfig tenant, String contractId, String actor,
                                                     List<String> loginIds, String client) {
        if (tenant.lockout().operatorOnly()) {
            return Mono.just(Outcome.refused(Refusal.Reason.FORBIDDEN,
                    "this credit union unlocks through its branch only (R8)"));
        }
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return assignments.contract(tenant.id(), contractId).collectList().flatMap(states -> {
                if (states.isEmpty()) {
                    return Mono.just(Outcome.refused(Refusal.Reason.CONTRACT_NOT_FOUND, "no such contract"));
                }
                ContractMembers members = ContractMembers.of(states);
                Optional<Refusal> refusal = members.refuseActor(actor, tenant.lockout().unlockBy(), "unlock users")
                        .or(() -> members.refuseSelection(loginIds));
                if (refusal.isPresent()) {
                    return Mono.just(Outcome.refused(refusal.get()));
                }
                Set<String> serials = serialsOf(loginIds, members);
                List<UserOtpState> affected = states.stream()
                        .filter(s -> ContractMembers.active(s).filter(h -> serials.contains(h.serial())).isPresent())
                        .toList();
                Optional<Refusal> cascade = refuseCascade(tenant, loginIds, affected);
                if (cascade.isPresent()) {
                    return Mono.just(Outcome.refused(cascade.get()));
                }
                return write(tenant, serials, affected.stream()
                        .map(s -> new Assignments.Holder(s.user().loginId(), ContractMembers.active(s).get().serial()))
                        .toList(), client, Optional.of(actor), Optional.empty(), now);
            });
        });
    }

    /** POST …/operator/unlocks: the branch unlocks any user, MASTER users too, from a paper form by a clerk. */
    public Mono<Outcome<List<Unlocked>>> byOperator(TenantConfig tenant, List<String> loginIds, String staffId,
                                                    String client) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return Flux.fromIterable(new LinkedHashSet<>(loginIds))
                    .concatMap(login -> assignments.stateOf(tenant.id(), login)
                            .map(state -> ContractMembers.active(state)
                                    .<Outcome<String>>map(h -> Outcome.done(h.serial()))
                                    .orElse(Outcome.refused(Refusal.Reason.OTP_NOT_ACTIVE,
                                            "the user has no active token: " + login)))
                            .defaultIfEmpty(Outcome.refused(Refusal.Reason.USER_NOT_FOUND, "no such user: " + login)))
                    .collectList()
                    .flatMap(found -> {
                        Set<String> serials = new LinkedHashSet<>();
                        for (Outcome<String> o : found) {
                            if (o.refusedWith().isPresent()) {
                                return Mono.just(Outcome.<List<Unlocked>>refused(o.refusedWith().get()));
                            }
                            o.map(serials::add);
                        }
                        return assignments.activeHoldersOf(tenant.id(), serials).collectList()
                                .flatMap(holders -> write(tenant, serials, holders, client, Optional.empty(),
                                        Optional.of(staffId), now));
                    });
        });
    }

    private static Set<String> serialsOf(List<String> loginIds, ContractMembers members) {
        Set<String> serials = new LinkedHashSet<>();
        loginIds.forEach(login -> serials.add(ContractMembers.active(members.byLogin().get(login)).get().serial()));
        return serials;
    }

    private static Optional<Refusal> refuseCascade(TenantConfig tenant, List<String> selected, List<UserOtpState> affected) {
        for (UserOtpState s : affected) {
            boolean locked = ContractMembers.active(s).map(Holding::locked).orElse(false);
            if (locked && s.user().role() == UserRole.MASTER) {
                return Optional.of(Refusal.of(Refusal.Reason.FORBIDDEN,
                        "a locked MASTER user is unlocked by the branch only (R8): " + s.user().loginId()));
            }
            if (!tenant.lockout().cascadeToSharers() && !selected.contains(s.user().loginId())) {
                return Optional.of(Refusal.of(Refusal.Reason.FORBIDDEN,
                        "the token is shared; this credit union requires every sharer to be selected: "
                                + s.user().loginId()));
            }
        }
        return Optional.empty();
    }

    private Mono<Outcome<List<Unlocked>>> write(TenantConfig tenant, Set<String> serials,
                                                List<Assignments.Holder> holders, String client,
                                                Optional<String> actor, Optional<String> staffId, Instant now) {
        List<AuditLog.Event> events = new ArrayList<>();
        List<Unlocked> unlocked = new ArrayList<>();
        for (Assignments.Holder h : holders) {
            events.add(new AuditLog.Event(tenant.id(), now, Optional.of(h.loginId()), Optional.of(h.serial()), "UNLOCK",
                    "UNLOCKED", client, actor, staffId));
            unlocked.add(new Unlocked(h.loginId(), h.serial(), OtpStatus.ACTIVE));
        }
        // The Redis copy is replaced on the token's next attempt: its state version is now older.
        return tokens.unlock(tenant.id(), serials).then(audit.append(events))
                .thenReturn(Outcome.done(List.copyOf(unlocked)))
                .as(transaction::transactional);
    }
}
