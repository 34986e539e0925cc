package jp.otpgateway.gateway.custody.adapter.tink;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import jp.otpgateway.gateway.custody.application.port.SeedVault;

/**
 * Seeds sealed with Tink AEAD (AES-256-GCM). The associated data binds each ciphertext to its
 * tenant and serial (docs/conventions.md, Security habits). Key rotation is Tink's: add a key to the
 * keyset and make it primary; older ciphertexts still open with the key that sealed them.
 */
public final class TinkSeedVault implements SeedVault {

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Aead aead;

    private TinkSeedVault(KeysetHandle keyset) throws GeneralSecurityException {
        this.aead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
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

    @Override
    public byte[] seal(String tenantId, String serial, byte[] seed) {
        try {
            return aead.encrypt(seed, associatedData(tenantId, serial));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing a seed failed", e);
        }
    }

    @Override
    public byte[] open(String tenantId, String serial, byte[] sealed) {
        try {
            return aead.decrypt(sealed, associatedData(tenantId, serial));
        } catch (GeneralSecurityException e) {
            throw new SecurityException("seed of " + tenantId + "/" + serial + " does not open with this keyset");
        }
    }

    /** tenant, NUL, serial: the separator cannot occur in either, so no two pairs share associated data. */
    static byte[] associatedData(String tenantId, String serial) {
        return (tenantId + '\0' + serial).getBytes(StandardCharsets.UTF_8);
    }
}
