package jp.otpgateway.gateway.adapter.web;

import java.time.ZoneId;
import java.util.Optional;
import jp.otpgateway.gateway.domain.lifecycle.Outcome;
import jp.otpgateway.gateway.domain.lifecycle.Refusal;

/** Turns a use case's refusal into the API problem of the same name. */
final class Refusals {

    private Refusals() {
    }

    static ApiException problem(Refusal refusal, ZoneId zone) {
        return new ApiException(ErrorCode.valueOf(refusal.reason().name()), refusal.detail(), refusal.violations(),
                Optional.empty(), refusal.remainingAttempts(), refusal.availableAt().map(at -> ApiTime.format(at, zone)), refusal.limit());
    }

    /** The value of a done outcome; a refused one ends the request with its problem. */
    static <T> T orThrow(Outcome<T> outcome, ZoneId zone) {
        if (outcome instanceof Outcome.Refused<T> refused) {
            throw problem(refused.refusal(), zone);
        }
        return ((Outcome.Done<T>) outcome).value();
    }
}
