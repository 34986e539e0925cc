package jp.otpgateway.gateway.custody.application.port;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import jp.otpgateway.gateway.custody.application.port.SeedKeys.WrappedKey;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Port: the tenants' wrapped data keys, their shredding, and what is sealed with each (V14). */
public interface DataKeys {

    /** A shredding asked for and not yet confirmed (or confirmed: {@code destroyedAt}). */
    record Destruction(String confirmation, String requestedBy, Instant expiresAt, Optional<Instant> destroyedAt) {
    }

    Flux<WrappedKey> all();

    Flux<WrappedKey> of(String tenantId);

    Flux<String> destroyedTenants();

    /** Serialises the tenant's key changes until the transaction ends (a transaction-level advisory lock). */
    Mono<Void> lock(String tenantId);

    /** {@code createdBy}: the clerk who rotated; null for a tenant's first key (made by the gateway). */
    Mono<Void> insert(WrappedKey key, String createdBy);

    Mono<Boolean> delete(String tenantId, long keyId);

    /** Deletes every key of the tenant; how many there were. */
    Mono<Long> deleteAll(String tenantId);

    /**
     * How many secrets of the tenant (token seeds and PSKC transport keys) each key prefix seals,
     * by the prefix in hex (custody/domain/KeyRing.prefixHex).
     */
    Mono<Map<String, Long>> sealedByPrefix(String tenantId);

    Mono<Optional<Destruction>> destruction(String tenantId);

    Mono<Void> requestDestruction(String tenantId, String confirmation, String staffId, Instant at, Instant expiresAt);

    Mono<Void> markDestroyed(String tenantId, String staffId, Instant at);
}
