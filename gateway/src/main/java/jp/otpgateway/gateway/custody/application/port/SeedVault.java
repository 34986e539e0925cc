package jp.otpgateway.gateway.custody.application.port;

/**
 * Port: token seeds (and the tenant's other secrets, such as PSKC transport keys) at rest, sealed
 * with the tenant's own data key (docs/custody.md). A sealed seed opens only for the tenant and
 * serial it was sealed for, so a ciphertext copied to another token's row is useless.
 *
 * @throws jp.otpgateway.gateway.shared.domain.KeysDestroyed from every method when the tenant's
 *         keys were shredded
 * @throws jp.otpgateway.gateway.shared.domain.KeysUnavailable when this instance cannot seal now
 *         (the tenant's keys not read yet, or not read again for too long)
 */
public interface SeedVault {

    /** A PSKC transport key is sealed for the subject {@value} + its name: never a token's serial. */
    String PSKC_KEY_SUBJECT = "pskc-key:";

    /** Seals with the tenant's primary key. */
    byte[] seal(String tenantId, String serial, byte[] seed);

    /** @throws SecurityException when the ciphertext was not sealed for this tenant and serial, or was altered */
    byte[] open(String tenantId, String serial, byte[] sealed);

    /**
     * The same secret sealed again with the tenant's key {@code keyId} (a re-seal after a rotation);
     * the secret never leaves the vault.
     */
    byte[] reseal(String tenantId, String serial, byte[] sealed, long keyId);
}
