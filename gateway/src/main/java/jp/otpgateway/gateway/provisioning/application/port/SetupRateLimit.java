package jp.otpgateway.gateway.provisioning.application.port;

import reactor.core.publisher.Mono;

/**
 * Port: how many app setups (POST /v1/provisioning) one client address may start per minute, shared
 * by every gateway instance. Fails (store down) rather than letting a request through unchecked.
 */
public interface SetupRateLimit {

    /** Counts one setup of {@code clientAddress}; false when the address is over its limit this minute. */
    Mono<Boolean> tryAcquire(String clientAddress);
}
