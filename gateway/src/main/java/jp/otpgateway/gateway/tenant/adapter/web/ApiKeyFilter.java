package jp.otpgateway.gateway.tenant.adapter.web;

import jp.otpgateway.gateway.shared.adapter.web.ApiException;
import jp.otpgateway.gateway.shared.adapter.web.ErrorCode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import jp.otpgateway.gateway.shared.domain.Identifiers;
import jp.otpgateway.gateway.shared.domain.InvalidInput;
import jp.otpgateway.gateway.shared.domain.Validation;
import jp.otpgateway.gateway.tenant.application.TenantRegistry;
import jp.otpgateway.tenant.model.ApiClient;
import jp.otpgateway.tenant.model.ClientRole;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Authenticates every {@code /v1/tenants/{t}/…} request by its {@code Authorization: Bearer} key.
 * <ul>
 * <li>no key, or a key no tenant knows: 401 UNAUTHENTICATED;</li>
 * <li>a key of other tenants, or an unknown tenant: 404 TENANT_NOT_FOUND with the same body,
 * so a key never learns which tenants exist;</li>
 * <li>{@code …/operator/…} needs the operator role, everything else the portal role: 403 FORBIDDEN.</li>
 * </ul>
 * Keys are looked up by their SHA-256, as tenant files store them: the clear key is never kept or
 * logged. A hash-table lookup by SHA-256 leaks nothing useful through timing (an attacker cannot
 * steer the hash of a guess), so no constant-time comparison is needed here.
 */
@Component
public class ApiKeyFilter implements WebFilter, Ordered {

    static final String TENANT_PATH = "/v1/tenants/";
    private static final String BEARER = "Bearer ";

    private final TenantRegistry registry;

    public ApiKeyFilter(TenantRegistry registry) {
        this.registry = registry;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.startsWith(TENANT_PATH)) {
            return chain.filter(exchange);
        }
        String key = bearerKey(exchange);
        if (key == null) {
            return Mono.error(new ApiException(ErrorCode.UNAUTHENTICATED, "Authorization: Bearer <api key> is required"));
        }
        TenantRegistry.Snapshot snapshot = registry.snapshot();
        Map<String, ApiClient> grants = snapshot.clientsByKeyHash().get(sha256Hex(key));
        if (grants == null) {
            return Mono.error(new ApiException(ErrorCode.UNAUTHENTICATED, "the API key is not valid"));
        }
        String rest = path.substring(TENANT_PATH.length());
        int slash = rest.indexOf('/');
        String tenantId = slash < 0 ? rest : rest.substring(0, slash);
        Validation pathCheck = new Validation();
        Identifiers.tenantId(pathCheck, "tenantId", tenantId);
        try {
            pathCheck.throwIfAny();
        } catch (InvalidInput invalid) {
            return Mono.error(invalid);
        }
        ApiClient client = grants.get(tenantId);
        TenantConfig tenant = snapshot.tenants().get(tenantId);
        if (client == null || tenant == null) {
            return Mono.error(new ApiException(ErrorCode.TENANT_NOT_FOUND, "no such tenant"));
        }
        ClientRole needed = isOperatorPath(slash < 0 ? "" : rest.substring(slash)) ? ClientRole.OPERATOR : ClientRole.PORTAL;
        if (client.role() != needed) {
            return Mono.error(new ApiException(ErrorCode.FORBIDDEN,
                    "this call needs an API key with role " + needed.configName()));
        }
        exchange.getAttributes().put(Caller.ATTRIBUTE, new Caller(tenant, client));
        return chain.filter(exchange);
    }

    static boolean isOperatorPath(String rest) {
        return rest.equals("/operator") || rest.startsWith("/operator/");
    }

    private static String bearerKey(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String key = header.substring(BEARER.length()).trim();
        return key.isEmpty() ? null : key;
    }

    static String sha256Hex(String key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
