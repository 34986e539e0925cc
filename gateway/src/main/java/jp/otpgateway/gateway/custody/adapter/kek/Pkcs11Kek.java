package jp.otpgateway.gateway.custody.adapter.kek;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.Security;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import jp.otpgateway.gateway.config.OtpProperties;

/**
 * The KEK held by a PKCS#11 HSM, used through Java's SunPKCS11 provider: AES-256-GCM inside the
 * HSM (a fresh 12-byte IV per wrap, stored before the ciphertext), the key itself never leaving it
 * (it should be created sensitive and not extractable). SoftHSM2 in development and tests.
 *
 * <p>{@link #open} refuses, with what to do, when the library, the token, the PIN or the key is
 * missing, and tries a wrap and unwrap before the gateway starts.
 */
public final class Pkcs11Kek implements Kek {

    static final int IV_BYTES = 12;
    static final int TAG_BITS = 128;
    static final String HOW_TO = "see docs/custody.md, \"Setting up the HSM\"";

    private final Provider provider;
    private final SecretKey key;
    private final String label;
    private final SecureRandom random = new SecureRandom();

    private Pkcs11Kek(Provider provider, SecretKey key, String label) {
        this.provider = provider;
        this.key = key;
        this.label = label;
    }

    public static Pkcs11Kek open(OtpProperties.Pkcs11 hsm) {
        Path library = hsm.library();
        if (!Files.isReadable(library)) {
            throw new IllegalStateException("PKCS#11 library " + library + " not found (otp.crypto.pkcs11.library); "
                    + "install the HSM's client, for SoftHSM2 `apt-get install softhsm2`; " + HOW_TO);
        }
        if (hsm.keyLabel() == null || hsm.keyLabel().isBlank()) {
            throw new IllegalStateException("otp.crypto.pkcs11.key-label is not set: the label of the KEK in the HSM; " + HOW_TO);
        }
        String where = hsm.slot() != null ? "slot=" + hsm.slot() : "slotListIndex=" + hsm.slotListIndex();
        Provider provider;
        try {
            provider = Security.getProvider("SunPKCS11")
                    .configure("--name=otp-kek\nlibrary=" + library.toAbsolutePath() + "\n" + where + "\n");
        } catch (ProviderException | IllegalArgumentException e) {
            throw new IllegalStateException("the HSM token at " + where + " of " + library + " cannot be opened ("
                    + rootMessage(e) + "); check otp.crypto.pkcs11.slot or slot-list-index; " + HOW_TO, e);
        }
        char[] pin = pin(hsm);
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS11", provider);
            store.load(null, pin);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the HSM token at " + where + " refused the login (" + rootMessage(e)
                    + "); check the PIN (otp.crypto.pkcs11.pin or pin-file)", e);
        } finally {
            Arrays.fill(pin, '\0');
        }
        Key key;
        try {
            key = store.getKey(hsm.keyLabel(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the HSM key labelled " + hsm.keyLabel() + " cannot be read: " + rootMessage(e), e);
        }
        if (!(key instanceof SecretKey secret) || !"AES".equals(key.getAlgorithm())) {
            throw new IllegalStateException("the HSM token at " + where + " holds no AES key labelled " + hsm.keyLabel()
                    + "; create it there (sensitive, not extractable); " + HOW_TO);
        }
        Pkcs11Kek kek = new Pkcs11Kek(provider, secret, "pkcs11:" + hsm.keyLabel());
        kek.selfTest();
        return kek;
    }

    private static char[] pin(OtpProperties.Pkcs11 hsm) {
        try {
            if (hsm.pinFile() != null) {
                return Files.readString(hsm.pinFile()).strip().toCharArray();
            }
        } catch (IOException e) {
            throw new IllegalStateException("the HSM PIN file " + hsm.pinFile() + " cannot be read", e);
        }
        if (hsm.pin() == null || hsm.pin().isEmpty()) {
            throw new IllegalStateException("no HSM PIN: set otp.crypto.pkcs11.pin-file (or OTP_CRYPTO_PKCS11_PIN)");
        }
        return hsm.pin().toCharArray();
    }

    private void selfTest() {
        byte[] probe = new byte[32];
        random.nextBytes(probe);
        byte[] ad = {'s', 'e', 'l', 'f'};
        if (!Arrays.equals(unwrap(wrap(probe, ad), ad), probe)) {
            throw new IllegalStateException("the HSM key " + label + " does not give back what it wrapped");
        }
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public byte[] wrap(byte[] plain, byte[] associatedData) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException | ProviderException e) {
            throw new IllegalStateException("the HSM could not wrap a data key with " + label + ": " + rootMessage(e), e);
        }
    }

    @Override
    public byte[] unwrap(byte[] wrapped, byte[] associatedData) {
        if (wrapped.length <= IV_BYTES + TAG_BITS / 8) {
            throw new SecurityException("a wrapped data key is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, wrapped, 0, IV_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(wrapped, IV_BYTES, wrapped.length - IV_BYTES);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new SecurityException("a data key does not unwrap with " + label);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
