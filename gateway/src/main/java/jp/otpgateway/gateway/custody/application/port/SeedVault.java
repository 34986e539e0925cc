package jp.otpgateway.gateway.custody.application.port;

/**
 * Port: token seeds at rest. A sealed seed opens only for the tenant and serial it was sealed for,
 * so a ciphertext copied to another token's row is useless.
 */
public interface SeedVault {

    byte[] seal(String tenantId, String serial, byte[] seed);

    /** @throws SecurityException when the ciphertext was not sealed for this tenant and serial, or was altered */
    byte[] open(String tenantId, String serial, byte[] sealed);
}
