package jp.otpgateway.tenant.model;

/**
 * An API key of the tenant, known only by its SHA-256 (lower-case hex): the clear key never
 * appears in configuration, logs or memory dumps of the gateway's state.
 */
public record ApiClient(String name, ClientRole role, String keySha256) {

    @Override
    public String toString() {
        return "ApiClient[name=" + name + ", role=" + role.configName() + "]";
    }
}
