package jp.otpgateway.gateway.custody.application.port;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Port: the data keys' material, which never leaves the adapter in clear. New keys come out wrapped
 * by the key-encryption key; what {@link DataKeys} stored is handed back with {@link #install}.
 */
public interface SeedKeys {

    /** A data key as stored: wrapped by the KEK named {@code kek}. */
    record WrappedKey(String tenantId, long id, byte[] wrapped, String kek, Instant primaryFrom, Instant createdAt) {
    }

    /** A new data key for the tenant, whose ID is none of {@code taken} nor of the legacy keyset's. */
    WrappedKey newKey(String tenantId, Set<Long> taken, Instant primaryFrom, Instant createdAt);

    /**
     * Replaces the keys in memory with those read from {@code readStartedNanos} on ({@link
     * System#nanoTime()} taken before the read began): every tenant's keys, and the tenants whose
     * keys were destroyed.
     */
    void install(Map<String, List<WrappedKey>> keys, Set<String> destroyed, long readStartedNanos);

    /** The key IDs of the legacy keyset (seeds sealed before data keys per tenant), empty when none. */
    Set<Long> legacyKeyIds();
}
