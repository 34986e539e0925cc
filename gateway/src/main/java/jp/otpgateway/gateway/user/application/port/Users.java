package jp.otpgateway.gateway.user.application.port;

import java.time.Instant;
import jp.otpgateway.gateway.user.domain.RegisterUserCommand;
import jp.otpgateway.gateway.user.domain.User;
import reactor.core.publisher.Mono;

/** Port: the users and contracts of every tenant. */
public interface Users {

    /**
     * Creates the user (and its contract if new) or updates it; tells which. Empty when the update
     * would move a user who holds or awaits a token to another contract.
     */
    Mono<Registered> register(RegisterUserCommand command, Instant now);

    Mono<User> find(String tenantId, String loginId);

    /**
     * Locks the user's row until the end of the transaction, so that changes which must not run side
     * by side for one user (a hardware and a software issuance) take turns; false when there is no such user.
     */
    Mono<Boolean> lock(String tenantId, String loginId);

    record Registered(User user, boolean created) {
    }
}
