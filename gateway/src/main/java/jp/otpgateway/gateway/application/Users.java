package jp.otpgateway.gateway.application;

import java.time.Instant;
import jp.otpgateway.gateway.domain.user.RegisterUserCommand;
import jp.otpgateway.gateway.domain.user.User;
import reactor.core.publisher.Mono;

/** Port: the users and contracts of every tenant. */
public interface Users {

    /**
     * Creates the user (and its contract if new) or updates it; tells which. Empty when the update
     * would move a user who holds or awaits a token to another contract.
     */
    Mono<Registered> register(RegisterUserCommand command, Instant now);

    Mono<User> find(String tenantId, String loginId);

    record Registered(User user, boolean created) {
    }
}
