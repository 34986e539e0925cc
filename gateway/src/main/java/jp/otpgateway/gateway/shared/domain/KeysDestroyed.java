package jp.otpgateway.gateway.shared.domain;

/**
 * The tenant's data keys were destroyed (crypto-shredding, docs/custody.md): its seeds can never be
 * opened again, and nothing is sealed for it any more. Answered 410 TENANT_KEYS_DESTROYED.
 */
public final class KeysDestroyed extends SecurityException {

    public KeysDestroyed(String tenantId) {
        super("the data keys of tenant " + tenantId + " were destroyed");
    }
}
