package jp.otpgateway.gateway.lifecycle.application.port;

import java.time.Instant;
import jp.otpgateway.tenant.model.HashAlgorithm;
import reactor.core.publisher.Mono;

/**
 * Port: software tokens from issuance to activation (R2, R3): the pending token, the IDs the app's
 * setup sends, the activation password's hash and its attempts.
 */
public interface SoftwareSetups {

    /** A new software token and its setup, with everything the issuance mail needs. */
    record NewSetup(String tenantId, String loginId, String serial, byte[] sealedSeed, HashAlgorithm algorithm,
                    int digits, int periodSeconds, Instant expiresAt, String serviceId, String appUserId,
                    String passwordHash, String email, boolean reissue, int maxAttempts, String client, Instant now) {
    }

    /**
     * In one statement: voids an open setup of the user (a new issuance replaces it) and retires its
     * token, stores the token (bound to the user's contract) and the setup, queues the issuance mail
     * and appends the audit event. Empty when the user awaits a hardware token. Fails with a
     * duplicate key when a generated serial or ID is taken (the caller draws new ones). The caller
     * holds the user's row lock.
     */
    Mono<Long> open(NewSetup setup);

    /** Voids the user's unfinished setup and retires its token (a hardware token was activated instead). */
    Mono<Void> voidOpen(String tenantId, String loginId, Instant now);

    /** One activation password check, counted before it is made (R2: setupAttempts). */
    record Reservation(String tenantId, long issuanceId, String loginId, String serial, String passwordHash) {
    }

    /**
     * Counts one attempt on the setup with these IDs if it still awaits the app and has attempts
     * left; empty otherwise (unknown IDs, set up already, void, no attempts left).
     */
    Mono<Reservation> reserve(String serviceId, String appUserId);

    /** The app got the token: true once; false when a parallel setup won or the setup became void. */
    Mono<Boolean> provisioned(Reservation reservation, String client, Instant now);

    /**
     * Records a wrong activation password; when all attempts failed the setup is void and its token
     * retired. Answers whether the setup is void now.
     */
    Mono<Boolean> wrongPassword(Reservation reservation, String client, Instant now);

    /** R3: the user activated the provisioned token; false when it is no longer provisioned. */
    Mono<Boolean> complete(String tenantId, String loginId, String serial, Instant now);
}
