package jp.otpgateway.gateway.branch.application;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.branch.application.port.BranchLookups;
import jp.otpgateway.gateway.branch.domain.Cursor;
import jp.otpgateway.gateway.branch.domain.TokenStock;
import jp.otpgateway.gateway.lifecycle.application.port.Assignments;
import jp.otpgateway.gateway.lifecycle.domain.LifecycleRules;
import jp.otpgateway.gateway.lifecycle.domain.OtpStatus;
import jp.otpgateway.gateway.lifecycle.domain.UserOtpState;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Use cases: a clerk looks up a user (status with its Japanese label, token, contract, sharers,
 * pending issuance, lock, recent attempts), a serial, or pages through the stock, the locked and the
 * suspended tokens (operator role).
 */
@Service
public class LookingUp {

    /** How many audit events a user lookup shows. */
    static final int RECENT = 20;

    public record UserView(UserOtpState state, OtpStatus status, Optional<TokenStock> token,
                           List<BranchLookups.RecentEvent> recent, Optional<Instant> activationRequiredFrom,
                           boolean activationRequired) {
        public UserView {
            recent = List.copyOf(recent);
        }
    }

    public record Page(List<TokenStock> items, Optional<Cursor> next) {
        public Page {
            items = List.copyOf(items);
        }
    }

    private final Assignments assignments;
    private final BranchLookups lookups;
    private final Clock clock;

    public LookingUp(Assignments assignments, BranchLookups lookups, Clock clock) {
        this.assignments = assignments;
        this.lookups = lookups;
        this.clock = clock;
    }

    /** Empty when the tenant has no such user. */
    public Mono<UserView> user(TenantConfig tenant, String loginId) {
        return assignments.stateOf(tenant.id(), loginId).flatMap(state -> {
            Instant now = clock.instant();
            Mono<Optional<TokenStock>> token = state.holding()
                    .map(h -> lookups.token(tenant.id(), h.serial()).map(Optional::of))
                    .orElse(Mono.just(Optional.empty()));
            boolean forced = tenant.tokens().hardware().activationRequiredAtLogin();
            return Mono.zip(token, lookups.recentEvents(tenant.id(), loginId, RECENT).collectList())
                    .map(found -> new UserView(state, state.statusAt(now), found.getT1(), found.getT2(),
                            LifecycleRules.activationDueFrom(state.pending(), forced, tenant.timeZone()),
                            LifecycleRules.activationDue(state.pending(), forced, tenant.timeZone(), now)));
        });
    }

    /** Empty when the tenant has no such serial. */
    public Mono<TokenStock> token(TenantConfig tenant, String serial) {
        return lookups.token(tenant.id(), serial);
    }

    /** One page of a list; {@code next} is present exactly when more rows follow. */
    public Mono<Page> page(TenantConfig tenant, TokenStock.Listing listing, Optional<Cursor> after, int limit) {
        return lookups.tokens(tenant.id(), listing, after, limit + 1).collectList().map(rows -> {
            if (rows.size() <= limit) {
                return new Page(rows, Optional.empty());
            }
            List<TokenStock> items = rows.subList(0, limit);
            return new Page(items, Optional.of(new Cursor(items.get(limit - 1).serial())));
        });
    }
}
