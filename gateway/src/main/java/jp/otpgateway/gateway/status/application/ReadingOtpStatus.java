package jp.otpgateway.gateway.status.application;

import jp.otpgateway.gateway.lifecycle.application.port.Assignments;
import jp.otpgateway.gateway.transaction.application.port.Transactions;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.lifecycle.domain.Holding;
import jp.otpgateway.gateway.transaction.domain.TransactionRules;
import jp.otpgateway.gateway.lifecycle.domain.OtpStatus;
import jp.otpgateway.gateway.status.domain.OtpStatusView;
import jp.otpgateway.gateway.user.domain.User;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Use cases: a portal reads a user's OTP status (GET …/users/{loginId}/otp) and the users of a
 * contract with theirs (GET …/contracts/{c}/users, the lists of manual 004).
 */
@Service
public class ReadingOtpStatus {

    /** One line of the contract view. */
    public record Member(User user, OtpStatus status, Optional<String> serial, Optional<Instant> expiresAt) {
    }

    private final Assignments assignments;
    private final Transactions transactions;
    private final Clock clock;

    public ReadingOtpStatus(Assignments assignments, Transactions transactions, Clock clock) {
        this.assignments = assignments;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Empty when the user is unknown to the tenant. */
    public Mono<OtpStatusView> statusOf(TenantConfig tenant, String loginId) {
        return assignments.stateOf(tenant.id(), loginId).flatMap(state -> {
            Instant now = clock.instant();
            if (state.statusAt(now).hasActiveOtp()) {
                return Mono.just(OtpStatusView.of(state, tenant, now, 0));
            }
            return transactions.usedOn(tenant.id(), loginId, TransactionRules.businessDate(now, tenant.timeZone()))
                    .map(used -> OtpStatusView.of(state, tenant, now, used));
        });
    }

    /** Empty when the contract has no users. */
    public Mono<List<Member>> contract(TenantConfig tenant, String contractId) {
        return assignments.contract(tenant.id(), contractId)
                .map(state -> {
                    Instant now = clock.instant();
                    return new Member(state.user(), state.statusAt(now), state.holding().map(Holding::serial),
                            state.holding().map(Holding::expiresAt));
                })
                .collectList()
                .filter(members -> !members.isEmpty());
    }
}
