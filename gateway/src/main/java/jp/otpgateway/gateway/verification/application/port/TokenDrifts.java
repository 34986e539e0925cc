package jp.otpgateway.gateway.verification.application.port;

import reactor.core.publisher.Mono;

/**
 * Port: a token's learned clock drift ({@code Drift}), kept durably with the token. Written only
 * when it changes; every instance forgets its copy of the token when it does.
 */
public interface TokenDrifts {

    /** Keeps {@code driftSteps} for the token; nothing happens when it is already the stored value. */
    Mono<Void> keep(String tenantId, String serial, int driftSteps);
}
