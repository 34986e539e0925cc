package jp.otpgateway.gateway.lifecycle.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.otpgateway.gateway.audit.application.port.AuditLog;
import jp.otpgateway.gateway.lifecycle.application.port.Assignments;
import jp.otpgateway.gateway.lifecycle.application.port.Tokens;
import jp.otpgateway.gateway.lifecycle.domain.AssignmentState;
import jp.otpgateway.gateway.lifecycle.domain.Holding;
import jp.otpgateway.gateway.lifecycle.domain.LifecycleFixtures;
import jp.otpgateway.gateway.lifecycle.domain.TokenFacts;
import jp.otpgateway.gateway.lifecycle.domain.UserOtpState;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.gateway.user.domain.User;
import jp.otpgateway.gateway.verification.domain.TokenRecord;
import jp.otpgateway.tenant.model.Lockout;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.TokenKind;
import jp.otpgateway.tenant.model.UserRole;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.reactive.TransactionCallback;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * R8 where it lives, in the use case, without PostgreSQL: the ports are in-memory fakes. Who may
 * unlock whom within a contract, the cascade to every sharer of the token, and the branch.
 */
class UnlockingUsersTest {

    static final Instant NOW = Instant.parse("2027-04-01T03:00:00Z");
    static final Instant FAR = NOW.plusSeconds(86_400 * 900L);

    /** Users and tokens of one tenant in memory: the Assignments and Tokens ports as UnlockingUsers uses them. */
    static final class Ledger implements Assignments, Tokens {
        final Map<String, UserOtpState> users = new LinkedHashMap<>();
        final Set<String> locked = new LinkedHashSet<>();
        final List<String> unlockedSerials = new ArrayList<>();

        void add(String login, String contract, UserRole role, Optional<String> serial) {
            User user = new User("t-unit", login, contract, "利用者 " + login, role, Optional.empty(), NOW, NOW);
            Optional<Holding> holding = serial.map(s -> new Holding(s, TokenKind.HARDWARE, AssignmentState.ACTIVE, FAR,
                    locked.contains(s), Optional.empty()));
            users.put(login, new UserOtpState(user, holding, Optional.empty(), List.of(), Optional.empty()));
        }

        @Override
        public Mono<UserOtpState> stateOf(String tenantId, String loginId) {
            return Mono.justOrEmpty(users.get(loginId));
        }

        @Override
        public Flux<UserOtpState> contract(String tenantId, String contractId) {
            return Flux.fromIterable(users.values()).filter(s -> s.user().contractId().equals(contractId));
        }

        @Override
        public Flux<Holder> activeHoldersOf(String tenantId, Collection<String> serials) {
            return Flux.fromIterable(users.values())
                    .filter(s -> s.holding().filter(h -> serials.contains(h.serial())).isPresent())
                    .map(s -> new Holder(s.user().loginId(), s.holding().get().serial()));
        }

        @Override
        public Flux<String> unlock(String tenantId, Collection<String> serials) {
            unlockedSerials.addAll(serials);
            locked.removeAll(serials);
            return Flux.fromIterable(serials);
        }

        @Override
        public Mono<Void> start(String tenantId, String loginId, String serial, Instant now) {
            throw new UnsupportedOperationException("not used by an unlock");
        }

        @Override
        public Mono<Boolean> move(String tenantId, String loginId, String serial, AssignmentState from,
                                  AssignmentState to, Instant now) {
            throw new UnsupportedOperationException("not used by an unlock");
        }

        @Override
        public Mono<Long> insertNewHardware(String tenantId, List<NewToken> tokens, Instant now) {
            throw new UnsupportedOperationException("not used by an unlock");
        }

        @Override
        public Mono<TokenRecord> find(String tenantId, String serial) {
            throw new UnsupportedOperationException("not used by an unlock");
        }

        @Override
        public Mono<TokenFacts> facts(String tenantId, String serial) {
            throw new UnsupportedOperationException("not used by an unlock");
        }

        @Override
        public Mono<ForActivation> forActivation(String tenantId, String loginId, String serial) {
            throw new UnsupportedOperationException("not used by an unlock");
        }

        @Override
        public Mono<Binding> bindToContract(String tenantId, String serial, String contractId) {
            throw new UnsupportedOperationException("not used by an unlock");
        }

        @Override
        public Mono<Boolean> suspend(String tenantId, String serial, String reason, Instant now) {
            throw new UnsupportedOperationException("not used by an unlock");
        }

        @Override
        public Mono<Boolean> retireIfUnheld(String tenantId, String serial, Instant now) {
            throw new UnsupportedOperationException("not used by an unlock");
        }

        @Override
        public Flux<ExpiringToken> expiringBetween(String tenantId, Instant from, Instant to) {
            throw new UnsupportedOperationException("not used by an unlock");
        }
    }

    static final class Audit implements AuditLog {
        final List<Event> events = new ArrayList<>();

        @Override
        public Mono<Void> append(List<Event> batch) {
            events.addAll(batch);
            return Mono.empty();
        }
    }

    /** No database: the writes of the use case run as they are. */
    static final TransactionalOperator NO_TRANSACTION = new TransactionalOperator() {
        @Override
        public <T> Mono<T> transactional(Mono<T> mono) {
            return mono;
        }

        @Override
        public <T> Flux<T> execute(TransactionCallback<T> action) {
            throw new UnsupportedOperationException("not used by an unlock");
        }
    };

    Ledger ledger;
    Audit audit;
    UnlockingUsers unlocking;

    @BeforeEach
    void contractOfFour() {
        ledger = new Ledger();
        audit = new Audit();
        unlocking = new UnlockingUsers(ledger, ledger, audit, NO_TRANSACTION, Clock.fixed(NOW, ZoneOffset.UTC));
        ledger.locked.add("11111111");
        ledger.locked.add("33333333");
        ledger.add("master", "C1", UserRole.MASTER, Optional.of("22222222"));
        ledger.add("admin", "C1", UserRole.ADMIN, Optional.empty());
        ledger.add("hanako", "C1", UserRole.GENERAL, Optional.of("11111111"));
        ledger.add("jiro", "C1", UserRole.GENERAL, Optional.of("11111111")); // shares hanako's key-fob (R6)
        ledger.add("locked-master", "C2", UserRole.MASTER, Optional.of("33333333"));
        ledger.add("c2-admin", "C2", UserRole.ADMIN, Optional.empty());
    }

    static TenantConfig tenant(Set<UserRole> unlockBy, boolean cascade) {
        TenantConfig t = LifecycleFixtures.tenant();
        return new TenantConfig(t.id(), t.name(), t.timeZone(), t.otp(), new Lockout(5, unlockBy, cascade),
                t.operations(), t.withoutOtp(), t.tokens(), t.notifications(), t.fees(), t.clients(), t.limits());
    }

    static Refusal.Reason refusal(Outcome<?> outcome) {
        return outcome.refusedWith().map(Refusal::reason).orElse(null);
    }

    @Test
    void aMasterUnlocksAUserAndEverySharerOfTheTokenWithIt() {
        var outcome = unlocking.byContract(tenant(Set.of(UserRole.MASTER, UserRole.ADMIN), true), "C1", "master",
                List.of("hanako"), "portal").block();
        assertThat(outcome.map(list -> list.stream().map(UnlockingUsers.Unlocked::loginId).toList()))
                .isEqualTo(Outcome.done(List.of("hanako", "jiro")));
        assertThat(ledger.unlockedSerials).containsExactly("11111111");
        assertThat(audit.events).extracting(AuditLog.Event::loginId).containsExactly(Optional.of("hanako"), Optional.of("jiro"));
        assertThat(audit.events).allSatisfy(e -> assertThat(e.actor()).contains("master"));
    }

    @Test
    void anAdminUnlocksOnlyWhereTheTenantLetsAdminsDoIt() {
        assertThat(refusal(unlocking.byContract(tenant(Set.of(UserRole.MASTER), true), "C1", "admin",
                List.of("hanako"), "portal").block())).isEqualTo(Refusal.Reason.FORBIDDEN);
        assertThat(ledger.unlockedSerials).isEmpty();
        assertThat(unlocking.byContract(tenant(Set.of(UserRole.MASTER, UserRole.ADMIN), true), "C1", "admin",
                List.of("hanako"), "portal").block().refusedWith()).isEmpty();
    }

    @Test
    void aGeneralUserMayNotUnlockAnyone() {
        assertThat(refusal(unlocking.byContract(tenant(Set.of(UserRole.MASTER, UserRole.ADMIN), true), "C1", "jiro",
                List.of("hanako"), "portal").block())).isEqualTo(Refusal.Reason.FORBIDDEN);
        assertThat(ledger.unlockedSerials).isEmpty();
        assertThat(audit.events).isEmpty();
    }

    @Test
    void aLockedMasterIsUnlockedByTheBranchOnly() {
        assertThat(refusal(unlocking.byContract(tenant(Set.of(UserRole.MASTER, UserRole.ADMIN), true), "C2", "c2-admin",
                List.of("locked-master"), "portal").block())).isEqualTo(Refusal.Reason.FORBIDDEN);
        assertThat(ledger.unlockedSerials).isEmpty();
        assertThat(unlocking.byOperator(tenant(Set.of(UserRole.MASTER, UserRole.ADMIN), true), List.of("locked-master"),
                "clerk-7", "branch").block().refusedWith()).isEmpty();
        assertThat(ledger.unlockedSerials).containsExactly("33333333");
        assertThat(audit.events).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEmpty();
            assertThat(e.staffId()).contains("clerk-7");
        });
    }

    @Test
    void aBranchOnlyTenantRefusesEveryContractUnlock() {
        assertThat(refusal(unlocking.byContract(tenant(Set.of(), true), "C1", "master", List.of("hanako"), "portal")
                .block())).isEqualTo(Refusal.Reason.FORBIDDEN);
        assertThat(ledger.unlockedSerials).isEmpty();
    }

    @Test
    void withoutTheCascadeEverySharerMustBeSelected() {
        TenantConfig noCascade = tenant(Set.of(UserRole.MASTER, UserRole.ADMIN), false);
        assertThat(refusal(unlocking.byContract(noCascade, "C1", "master", List.of("hanako"), "portal").block()))
                .isEqualTo(Refusal.Reason.FORBIDDEN);
        assertThat(ledger.unlockedSerials).isEmpty();
        assertThat(unlocking.byContract(noCascade, "C1", "master", List.of("hanako", "jiro"), "portal").block()
                .refusedWith()).isEmpty();
    }
}
