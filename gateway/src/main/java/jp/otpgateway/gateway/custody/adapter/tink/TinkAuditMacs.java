package jp.otpgateway.gateway.custody.adapter.tink;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.mac.MacConfig;
import com.google.crypto.tink.mac.PredefinedMacParameters;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import jp.otpgateway.gateway.audit.application.port.AuditMacs;

/** The audit seal's key: a Tink HMAC-SHA256 keyset (the key ID is in every MAC, so keys can rotate). */
public final class TinkAuditMacs implements AuditMacs {

    static {
        try {
            MacConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Mac mac;

    private TinkAuditMacs(KeysetHandle keyset) throws GeneralSecurityException {
        this.mac = keyset.getPrimitive(RegistryConfiguration.get(), Mac.class);
    }

    public static TinkAuditMacs fromKeysetJson(String json) throws GeneralSecurityException {
        return new TinkAuditMacs(TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get()));
    }

    /** Writes a new HMAC-SHA256 keyset readable by its owner only; refuses to overwrite one. */
    public static void writeNewKeyset(Path file) throws IOException, GeneralSecurityException {
        KeysetHandle handle = KeysetHandle.generateNew(PredefinedMacParameters.HMAC_SHA256_256BITTAG);
        KeysetFiles.writeNew(file, TinkJsonProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get()),
                "the sealed blocks would not verify");
    }

    @Override
    public byte[] mac(byte[] data) {
        try {
            return mac.computeMac(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing an audit block failed", e);
        }
    }

    @Override
    public boolean verify(byte[] tag, byte[] data) {
        try {
            mac.verifyMac(tag, data);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
