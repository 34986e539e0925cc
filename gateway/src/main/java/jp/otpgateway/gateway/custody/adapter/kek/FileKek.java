package jp.otpgateway.gateway.custody.adapter.kek;

import com.google.crypto.tink.Aead;
import java.security.GeneralSecurityException;

/**
 * DEVELOPMENT ONLY: the KEK as a Tink AEAD keyset read from a file (otp.crypto.seed-keyset-file),
 * for the run command and machines without an HSM. Anyone who reads the file can open every seed.
 */
public final class FileKek implements Kek {

    private final Aead aead;
    private final String label;

    public FileKek(Aead aead, String label) {
        this.aead = aead;
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public byte[] wrap(byte[] key, byte[] associatedData) {
        try {
            return aead.encrypt(key, associatedData);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("wrapping a data key failed", e);
        }
    }

    @Override
    public byte[] unwrap(byte[] wrapped, byte[] associatedData) {
        try {
            return aead.decrypt(wrapped, associatedData);
        } catch (GeneralSecurityException e) {
            throw new SecurityException("a data key does not unwrap with " + label);
        }
    }
}
