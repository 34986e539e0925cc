package jp.otpgateway.gateway.onboarding.domain;

import java.util.List;
import java.util.Optional;

/**
 * A PSKC key container (RFC 6030) as read from the XML, before anything is decrypted: how its
 * secrets are protected, the MAC method, and one entry per KeyPackage with the line it starts on.
 * Algorithm and method names are the URIs of the file.
 */
public record PskcDocument(Protection protection, Optional<MacMethod> mac, List<KeyPackage> packages) {

    public PskcDocument {
        packages = List.copyOf(packages);
    }

    /** RFC 6030 §6: how the file's secrets are encrypted. */
    public sealed interface Protection {
        /** No EncryptionKey: the secrets are PlainValues (§5). */
        record None() implements Protection {
        }

        /** §6.1: a pre-shared key named by ds:KeyName. */
        record PreSharedKey(String keyName) implements Protection {
        }

        /** §6.2: a key derived from a password with PBKDF2 (PKCS #5 v2.0). */
        record Password(byte[] salt, int iterations, int keyLength, String prf) implements Protection {
        }
    }

    /** An xenc EncryptedValue: the method's URI and the IV followed by the CBC ciphertext. */
    public record Encrypted(String algorithm, byte[] ivAndCiphertext) {
    }

    /** §6.1.1: the MAC algorithm's URI and the MAC key, encrypted like the secrets. */
    public record MacMethod(String algorithm, Encrypted key) {
    }

    /** A KeyPackage's secret. */
    public sealed interface Secret {
        record Plain(byte[] value) implements Secret {
            @Override
            public String toString() {
                return "Plain[(hidden)]";
            }
        }

        /** {@code valueMac}: the ValueMAC over IV and ciphertext, or null when the file has none. */
        record Sealed(Encrypted value, byte[] valueMac) implements Secret {
        }

        record Missing() implements Secret {
        }
    }

    /**
     * One KeyPackage. Absent optional values are null: {@code digits} (ResponseFormat Length),
     * {@code encoding}, {@code timeInterval}, {@code time} (T0), {@code suite}, {@code expiry} (the
     * text of Policy/ExpiryDate, else DeviceInfo/ExpiryDate).
     */
    public record KeyPackage(long line, String serial, String algorithm, String suite, Integer digits, String encoding,
                             Integer timeInterval, Long time, String expiry, Secret secret) {
    }
}
