package jp.otpgateway.gateway.audit.application.port;

/**
 * Port: the key that authenticates the audit trail's sealed blocks. Held by the gateway (like the
 * seed keyset), never by the database, so that someone who can write every table still cannot forge
 * a block.
 */
public interface AuditMacs {

    byte[] mac(byte[] data);

    /** Whether {@code mac} was made over {@code data} with a key of this keyset (rotation keeps old keys). */
    boolean verify(byte[] mac, byte[] data);
}
