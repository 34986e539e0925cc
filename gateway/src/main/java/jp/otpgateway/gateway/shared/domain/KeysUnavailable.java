package jp.otpgateway.gateway.shared.domain;

/**
 * This instance cannot seal or open with the tenant's keys now (not read yet, or not read again for
 * too long, or a key it does not hold): fail closed, 503, nothing changed.
 */
public final class KeysUnavailable extends IllegalStateException {

    public KeysUnavailable(String message) {
        super(message);
    }
}
