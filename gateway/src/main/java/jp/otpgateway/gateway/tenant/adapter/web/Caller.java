package jp.otpgateway.gateway.tenant.adapter.web;

import jp.otpgateway.tenant.model.ApiClient;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.web.server.ServerWebExchange;

/**
 * The authenticated client of a request and the tenant configuration it acts on, fixed for the
 * whole request even if the tenant file is reloaded meanwhile.
 */
public record Caller(TenantConfig tenant, ApiClient client) {

    public static final String ATTRIBUTE = Caller.class.getName();

    public static Caller of(ServerWebExchange exchange) {
        Caller caller = exchange.getAttribute(ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller: path not covered by ApiKeyFilter");
        }
        return caller;
    }
}
