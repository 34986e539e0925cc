package jp.otpgateway.gateway.application;

import java.time.Clock;
import jp.otpgateway.gateway.domain.user.RegisterUserCommand;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Use case: the portal creates or updates one of its users (PUT …/users/{loginId}). */
@Service
public class RegisteringUser {

    private final Users users;
    private final Clock clock;

    public RegisteringUser(Users users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    public Mono<Users.Registered> register(RegisterUserCommand command) {
        return Mono.defer(() -> users.register(command, clock.instant()));
    }
}
