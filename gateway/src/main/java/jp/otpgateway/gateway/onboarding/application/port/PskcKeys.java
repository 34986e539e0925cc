package jp.otpgateway.gateway.onboarding.application.port;

import java.time.Instant;
import reactor.core.publisher.Mono;

/** Port: the tenant's PSKC transport keys (pre-shared with token vendors), kept sealed. */
public interface PskcKeys {

    /** Stores or replaces the sealed key under its name. */
    Mono<Void> store(String tenantId, String name, byte[] sealedKey, Instant at);

    /** The sealed key; empty when the tenant has none of that name. */
    Mono<byte[]> find(String tenantId, String name);

    /** Whether a key of that name was there to remove. */
    Mono<Boolean> remove(String tenantId, String name);
}
