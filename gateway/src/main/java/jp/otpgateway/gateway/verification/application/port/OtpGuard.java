package jp.otpgateway.gateway.verification.application.port;

import jp.otpgateway.gateway.verification.domain.GuardVerdict;
import jp.otpgateway.gateway.verification.domain.TokenState;
import reactor.core.publisher.Mono;

/**
 * Port: the atomic decision on one attempt for one token (R1, R7): locked? replayed? accept or count
 * the failure. {@code durable} is the token's state from PostgreSQL; the guard adopts it when it
 * holds nothing for the token or an older version (a Redis restart, flush or failover).
 * {@code matchedStep} is the time step the code matched, or -1 when it matched none.
 */
public interface OtpGuard {

    Mono<GuardVerdict> attempt(String tenantId, String serial, TokenState durable, long matchedStep, int maxFailures);

    /**
     * The same decision for a caller that knows only the token's state version (a token from the
     * in-memory cache): decided on the guard's own state when it holds one at least that new; empty,
     * with nothing changed, when it does not (the caller reads the durable state and asks again).
     */
    Mono<GuardVerdict> attemptOnHeldState(String tenantId, String serial, long knownVersion, long matchedStep,
                                          int maxFailures);
}
