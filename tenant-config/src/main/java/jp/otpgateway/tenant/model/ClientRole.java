package jp.otpgateway.tenant.model;

import java.util.Locale;

/** What an API key may call: the portal's user flows or the tenant's back office. */
public enum ClientRole {
    PORTAL,
    OPERATOR;

    /** The spelling used in tenant files and problem messages ({@code portal}, {@code operator}). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
