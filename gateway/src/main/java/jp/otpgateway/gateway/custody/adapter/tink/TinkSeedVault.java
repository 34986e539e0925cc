package jp.otpgateway.gateway.custody.adapter.tink;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A Tink AEAD (AES-256-GCM) keyset read from a file: the legacy seed keyset (one for all tenants,
 * before data keys per tenant; its seeds still open through {@link TenantSeedVault} until they are
 * re-sealed) and, without an HSM, the DEVELOPMENT key-encryption key. The associated data of a seed
 * binds it to its tenant and serial, as {@link TenantSeedVault} does.
 */
public final class TinkSeedVault {

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Aead aead;
    private final Set<Long> keyIds;

    private TinkSeedVault(KeysetHandle keyset) throws GeneralSecurityException {
        this.aead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
        this.keyIds = IntStream.range(0, keyset.size()).mapToObj(i -> Integer.toUnsignedLong(keyset.getAt(i).getId()))
                .collect(Collectors.toUnmodifiableSet());
    }

    public Aead aead() {
        return aead;
    }

    /** The IDs of the keyset's keys, as they appear in the prefix of what they sealed. */
    public Set<Long> keyIds() {
        return keyIds;
    }

    public static TinkSeedVault fromKeysetJson(String json) throws GeneralSecurityException {
        return new TinkSeedVault(TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get()));
    }

    /** A new AES-256-GCM keyset as Tink JSON. */
    public static String newKeysetJson() throws GeneralSecurityException {
        KeysetHandle handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        return TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get());
    }

    /** Writes a new keyset readable by its owner only; refuses to overwrite one. */
    public static void writeNewKeyset(Path file) throws IOException, GeneralSecurityException {
        KeysetFiles.writeNew(file, newKeysetJson(), "its seeds would be lost");
    }

    public byte[] seal(String tenantId, String serial, byte[] seed) {
        try {
            return aead.encrypt(seed, TenantSeedVault.associatedData(tenantId, serial));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing a seed failed", e);
        }
    }

    public byte[] open(String tenantId, String serial, byte[] sealed) {
        try {
            return aead.decrypt(sealed, TenantSeedVault.associatedData(tenantId, serial));
        } catch (GeneralSecurityException e) {
            throw new SecurityException("seed of " + tenantId + "/" + serial + " does not open with this keyset");
        }
    }
}
