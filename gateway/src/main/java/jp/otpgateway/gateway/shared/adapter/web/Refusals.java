package jp.otpgateway.gateway.shared.adapter.web;

import java.time.ZoneId;
import java.util.Optional;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;

/** Turns a use case's refusal into the API problem of the same name. */
public final class Refusals {

    private Refusals() {
    }

    public static ApiException problem(Refusal refusal, ZoneId zone) {
        return new ApiException(ErrorCode.valueOf(refusal.reason().name()), refusal.detail(), refusal.violations(),
                Optional.empty(), refusal.remainingAttempts(), refusal.availableAt().map(at -> ApiTime.format(at, zone)), refusal.limit());
    }

    /** The value of a done outcome; a refused one ends the request with its problem. */
    public static <T> T orThrow(Outcome<T> outcome, ZoneId zone) {
        return outcome.fold(refusal -> {
            throw problem(refusal, zone);
        }, value -> value);
    }
}
