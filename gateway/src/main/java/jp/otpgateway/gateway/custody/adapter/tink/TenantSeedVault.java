package jp.otpgateway.gateway.custody.adapter.tink;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.otpgateway.gateway.custody.adapter.kek.Kek;
import jp.otpgateway.gateway.custody.application.port.SeedKeys;
import jp.otpgateway.gateway.custody.application.port.SeedVault;
import jp.otpgateway.gateway.custody.domain.KeyRing;
import jp.otpgateway.gateway.shared.domain.KeysDestroyed;
import jp.otpgateway.gateway.shared.domain.KeysUnavailable;

/**
 * Seeds sealed with each tenant's own data keys (docs/custody.md): every data key is a one-key Tink
 * AES-256-GCM keyset, stored wrapped by the {@link Kek} and unwrapped into memory here once, so a
 * verification opens its seed without the HSM. The associated data binds each ciphertext to its
 * tenant and serial; the ciphertext's Tink prefix names the key that opens it.
 *
 * <p>The keys in memory are replaced whole by {@link #install} (every refresh); a seal takes the
 * ring's primary key at that instant ({@link KeyRing#primaryAt}) and refuses when the keys were not
 * read recently enough ({@link KeyRing#freshEnough}). Seeds sealed with the legacy keyset (one file
 * keyset for all tenants, before data keys) still open with it until they are re-sealed.
 */
public final class TenantSeedVault implements SeedVault, SeedKeys {

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A tenant's ring in memory: the rule's view and each key's primitive. */
    private record Ring(KeyRing ring, Map<Long, Aead> aeads) {
    }

    /** What one {@link #install} put in place, swapped whole. */
    private record Keys(Map<String, Ring> rings, Set<String> destroyed, long readAt, boolean read) {
    }

    private record Unwrapped(long id, byte[] wrapped, Aead aead) {
    }

    private final Kek kek;
    private final Optional<Aead> legacy;
    private final Set<Long> legacyIds;
    private final Clock clock;
    private final Duration propagation;
    private final Map<String, Unwrapped> unwrapped = new HashMap<>(); // under install's lock
    private volatile Keys keys = new Keys(Map.of(), Set.of(), 0, false);

    /** {@code legacy}: the keyset that sealed seeds before data keys per tenant, with its key IDs. */
    public TenantSeedVault(Kek kek, Optional<Aead> legacy, Set<Long> legacyIds, Clock clock, Duration propagation) {
        this.kek = kek;
        this.legacy = legacy;
        this.legacyIds = Set.copyOf(legacyIds);
        this.clock = clock;
        this.propagation = propagation;
    }

    @Override
    public byte[] seal(String tenantId, String serial, byte[] seed) {
        Keys now = keys;
        Duration sinceRead = Duration.ofNanos(System.nanoTime() - now.readAt());
        if (!now.read() || !KeyRing.freshEnough(sinceRead, propagation)) {
            throw new KeysUnavailable("the data keys were last read " + (now.read() ? sinceRead.toMillis() + " ms ago" : "never")
                    + ": nothing is sealed until they are read again");
        }
        Ring ring = ring(now, tenantId);
        KeyRing.DataKey primary = ring.ring().primaryAt(clock.instant())
                .orElseThrow(() -> new KeysUnavailable("tenant " + tenantId + " has no data key sealing yet"));
        return encrypt(ring.aeads().get(primary.id()), tenantId, serial, seed);
    }

    @Override
    public byte[] open(String tenantId, String serial, byte[] sealed) {
        Keys now = keys;
        if (now.destroyed().contains(tenantId)) {
            throw new KeysDestroyed(tenantId);
        }
        long id = KeyRing.keyIdOf(sealed);
        Ring ring = now.rings().get(tenantId);
        Aead aead = ring == null ? null : ring.aeads().get(id);
        if (aead == null && legacyIds.contains(id)) {
            aead = legacy.orElseThrow();
        }
        if (aead == null) {
            throw new KeysUnavailable("the seed of " + tenantId + "/" + serial + " is sealed with key " + id
                    + ", which this instance does not hold");
        }
        try {
            return aead.decrypt(sealed, associatedData(tenantId, serial));
        } catch (GeneralSecurityException e) {
            throw new SecurityException("seed of " + tenantId + "/" + serial + " does not open with its key");
        }
    }

    @Override
    public byte[] reseal(String tenantId, String serial, byte[] sealed, long keyId) {
        Aead target = ring(keys, tenantId).aeads().get(keyId);
        if (KeyRing.keyIdOf(sealed) == keyId) {
            return sealed;
        }
        if (target == null) {
            throw new KeysUnavailable("tenant " + tenantId + " has no key " + keyId + " in this instance yet");
        }
        byte[] secret = open(tenantId, serial, sealed);
        try {
            return encrypt(target, tenantId, serial, secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static Ring ring(Keys keys, String tenantId) {
        if (keys.destroyed().contains(tenantId)) {
            throw new KeysDestroyed(tenantId);
        }
        Ring ring = keys.rings().get(tenantId);
        if (ring == null) {
            throw new KeysUnavailable("tenant " + tenantId + " has no data key in this instance yet");
        }
        return ring;
    }

    private static byte[] encrypt(Aead aead, String tenantId, String serial, byte[] secret) {
        try {
            return aead.encrypt(secret, associatedData(tenantId, serial));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing a seed failed", e);
        }
    }

    @Override
    public WrappedKey newKey(String tenantId, Set<Long> taken, Instant primaryFrom, Instant createdAt) {
        try {
            KeysetHandle handle;
            long id;
            do {
                handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
                id = Integer.toUnsignedLong(handle.getPrimary().getId());
            } while (taken.contains(id) || legacyIds.contains(id));
            byte[] material = TinkProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
            try {
                return new WrappedKey(tenantId, id, kek.wrap(material, wrappingData(tenantId, id)), kek.label(),
                        primaryFrom, createdAt);
            } finally {
                Arrays.fill(material, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a data key could not be made", e);
        }
    }

    /**
     * Unwraps what it has not unwrapped before (each key once, then kept), then swaps the keys in
     * memory whole. A key that does not unwrap fails the whole install: the keys in memory stay as
     * they were, and the refresh says why.
     */
    @Override
    public synchronized void install(Map<String, List<WrappedKey>> stored, Set<String> destroyed, long readStartedNanos) {
        Map<String, Ring> rings = new HashMap<>();
        Map<String, Unwrapped> kept = new HashMap<>();
        for (Map.Entry<String, List<WrappedKey>> tenant : stored.entrySet()) {
            List<KeyRing.DataKey> ringKeys = new ArrayList<>();
            Map<Long, Aead> aeads = new HashMap<>();
            for (WrappedKey key : tenant.getValue()) {
                String name = key.tenantId() + '\0' + key.id();
                Unwrapped known = unwrapped.get(name);
                if (known == null || !Arrays.equals(known.wrapped(), key.wrapped())) {
                    known = new Unwrapped(key.id(), key.wrapped(), unwrap(key));
                }
                kept.put(name, known);
                aeads.put(key.id(), known.aead());
                ringKeys.add(new KeyRing.DataKey(key.id(), key.primaryFrom(), key.createdAt()));
            }
            rings.put(tenant.getKey(), new Ring(new KeyRing(ringKeys), Map.copyOf(aeads)));
        }
        unwrapped.clear();
        unwrapped.putAll(kept);
        keys = new Keys(Map.copyOf(rings), Set.copyOf(destroyed), readStartedNanos, true);
    }

    private Aead unwrap(WrappedKey key) {
        byte[] material;
        try {
            material = kek.unwrap(key.wrapped(), wrappingData(key.tenantId(), key.id()));
        } catch (SecurityException e) {
            throw new IllegalStateException("data key " + key.id() + " of tenant " + key.tenantId() + " was wrapped by "
                    + key.kek() + " and does not unwrap with " + kek.label() + ": is this the HSM key that wrapped it?");
        }
        try {
            KeysetHandle handle = TinkProtoKeysetFormat.parseKeyset(material, InsecureSecretKeyAccess.get());
            if (Integer.toUnsignedLong(handle.getPrimary().getId()) != key.id() || handle.size() != 1) {
                throw new IllegalStateException("data key " + key.id() + " of tenant " + key.tenantId()
                        + " holds another key than its row names");
            }
            return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("data key " + key.id() + " of tenant " + key.tenantId() + " is not a Tink AEAD key", e);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    @Override
    public Set<Long> legacyKeyIds() {
        return legacyIds;
    }

    /** tenant, NUL, serial: the separator cannot occur in either, so no two pairs share associated data. */
    static byte[] associatedData(String tenantId, String serial) {
        return (tenantId + '\0' + serial).getBytes(StandardCharsets.UTF_8);
    }

    /** What a data key is wrapped for: its tenant and ID, so a wrapped key moved to another row does not unwrap. */
    static byte[] wrappingData(String tenantId, long id) {
        return ("otp-data-key\0" + tenantId + '\0' + id).getBytes(StandardCharsets.UTF_8);
    }
}
