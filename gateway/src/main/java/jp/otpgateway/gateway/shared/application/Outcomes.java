package jp.otpgateway.gateway.shared.application;

import java.util.function.Function;
import jp.otpgateway.gateway.shared.domain.Outcome;
import reactor.core.publisher.Mono;

/** {@link Outcome} in a reactive use case: the next step runs on a done value; a refusal is answered as it is. */
public final class Outcomes {

    private Outcomes() {
    }

    public static <T, U> Mono<Outcome<U>> andThen(Outcome<T> outcome, Function<? super T, Mono<Outcome<U>>> next) {
        return outcome.fold(refusal -> Mono.just(Outcome.<U>refused(refusal)), next);
    }
}
