package jp.otpgateway.gateway.user.application;

import jp.otpgateway.gateway.user.application.port.Users;

import java.time.Clock;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.gateway.user.domain.RegisterUserCommand;
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

    public Mono<Outcome<Users.Registered>> register(RegisterUserCommand command) {
        return Mono.defer(() -> users.register(command, clock.instant()))
                .map(Outcome::done)
                .defaultIfEmpty(Outcome.refused(Refusal.Reason.CONTRACT_CHANGE_REFUSED,
                        "the user holds or awaits a token of its contract; tokens never move between contracts (R6)"));
    }
}
