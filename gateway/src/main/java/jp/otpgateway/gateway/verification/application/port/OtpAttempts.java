package jp.otpgateway.gateway.verification.application.port;

import java.time.Instant;
import java.util.Optional;
import jp.otpgateway.gateway.verification.domain.Drift;
import jp.otpgateway.gateway.verification.domain.GuardVerdict;
import reactor.core.publisher.Mono;

/**
 * Port: the durable record of one attempt: the token's guard state and the audit event, in one
 * statement. An acceptance is persisted only if the step is newer than the stored one and the
 * token is not locked: the second replay guard when Redis lost its state.
 */
public interface OtpAttempts {

    /**
     * {@code holding}: the user verifies with the token of an ACTIVE assignment (not an activation),
     * so an acceptance stands only while that assignment is still ACTIVE when it is written.
     * {@code staffId}: the branch clerk who entered the codes (a resynchronisation at the branch).
     * {@code drift}: what the token keeps of its clock when the acceptance is written, in the same
     * update (so learning costs no statement of its own).
     */
    record Attempt(String tenantId, String loginId, String serial, String operation, String client, Instant at,
                   GuardVerdict verdict, long step, boolean holding, Optional<String> staffId, Drift drift) {

        /** The clerk's staff ID, or "" when the user acted (the statements' text columns hold no NULL). */
        public String staff() {
            return staffId.orElse("");
        }
    }

    /**
     * The outcome that stands: ACCEPTED may become REPLAYED or LOCKED here, or STALE (nothing written)
     * when the user no longer holds the token; the others stay.
     */
    Mono<GuardVerdict.Outcome> persist(Attempt attempt);
}
