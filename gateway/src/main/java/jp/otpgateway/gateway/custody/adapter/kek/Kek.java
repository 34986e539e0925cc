package jp.otpgateway.gateway.custody.adapter.kek;

/**
 * The key-encryption key that wraps the tenants' data keys (docs/custody.md). Its material stays
 * where it is held (the HSM); only wrapped data keys are stored.
 */
public interface Kek {

    /** Names the KEK in each stored data key (e.g. {@code pkcs11:otp-kek-2026}). */
    String label();

    byte[] wrap(byte[] key, byte[] associatedData);

    /** @throws SecurityException when {@code wrapped} was not wrapped by this KEK with this associated data */
    byte[] unwrap(byte[] wrapped, byte[] associatedData);
}
