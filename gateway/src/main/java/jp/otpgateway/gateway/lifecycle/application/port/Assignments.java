package jp.otpgateway.gateway.lifecycle.application.port;

import jp.otpgateway.gateway.user.application.port.Users;

import java.time.Instant;
import java.util.Collection;
import jp.otpgateway.gateway.lifecycle.domain.AssignmentState;
import jp.otpgateway.gateway.lifecycle.domain.UserOtpState;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Port: which user holds which token (many users per token within one contract, R6). */
public interface Assignments {

    /** The user's OTP state: current token, pending issuance and sharers; empty when the user is unknown. */
    Mono<UserOtpState> stateOf(String tenantId, String loginId);

    /** The state of every user of a contract, ordered by login ID; empty when the contract is unknown. */
    Flux<UserOtpState> contract(String tenantId, String contractId);

    /** Starts the user's ACTIVE hold on the token. Fails with a duplicate key if a concurrent activation won. */
    Mono<Void> start(String tenantId, String loginId, String serial, Instant now);

    /**
     * Moves the user's hold on the token from one state to another, as the transition table allowed;
     * answers false when the hold was no longer in {@code from} (a concurrent change).
     */
    Mono<Boolean> move(String tenantId, String loginId, String serial, AssignmentState from, AssignmentState to,
                       Instant now);

    /** A user holding a token now. */
    record Holder(String loginId, String serial) {
    }

    /** Users holding any of these tokens now (ACTIVE), for the cascade of an unlock (R7, R8). */
    Flux<Holder> activeHoldersOf(String tenantId, Collection<String> serials);
}
