package jp.otpgateway.gateway.onboarding.adapter.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.regex.Pattern;
import jp.otpgateway.gateway.onboarding.application.StoringPskcKeys;
import jp.otpgateway.gateway.shared.adapter.web.Refusals;
import jp.otpgateway.gateway.shared.domain.Identifiers;
import jp.otpgateway.gateway.shared.domain.Validation;
import jp.otpgateway.gateway.tenant.adapter.web.Caller;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A token vendor's PSKC transport key (pre-shared, RFC 6030 §6.1), stored for the tenant under a
 * name that the import's PSKC-Key header then gives. Sealed like seeds; never answered or logged.
 */
@RestController
@Tag(name = "Operator", description = "信用組合の事務（operator）")
public class PskcKeyController {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final Pattern KEY_HEX = Pattern.compile("([0-9a-fA-F]{32}|[0-9a-fA-F]{48}|[0-9a-fA-F]{64})");
    static final String PATH = "/v1/tenants/{tenantId}/operator/pskc-keys/{name}";

    private final StoringPskcKeys storing;

    public PskcKeyController(StoringPskcKeys storing) {
        this.storing = storing;
    }

    public record PskcKeyRequest(String key, String staffId) {
    }

    private record Form(String name, byte[] key, String staffId) {
    }

    @PutMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "PSKC転送鍵の登録", description = "key: the AES key agreed with the vendor, 32, 48 or 64 hex "
            + "digits (AES-128/192/256); replaces a key of the same name. Audited with the clerk's staffId.")
    public Mono<Void> store(@PathVariable String tenantId, @PathVariable String name, @RequestBody PskcKeyRequest body,
                            ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    String n = v.matching("name", "転送鍵の名前", name, NAME, "半角英数字と . _ - の1～64文字");
                    String hex = v.matching("key", "転送鍵", body.key(), KEY_HEX, "16進数32・48・64桁（AES-128/192/256）");
                    String staff = Identifiers.staffId(v, "staffId", body.staffId());
                    v.throwIfAny();
                    return new Form(n, java.util.HexFormat.of().parseHex(hex), staff);
                })
                .flatMap(form -> storing.store(tenant, form.name(), form.key(), form.staffId(), caller.client().name()));
    }

    @DeleteMapping(path = PATH)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "PSKC転送鍵の削除", description = "staffId as a query parameter; 404 PSKC_KEY_NOT_FOUND when "
            + "no key has that name. Audited with the clerk's staffId.")
    public Mono<Void> remove(@PathVariable String tenantId, @PathVariable String name,
                             @RequestParam(required = false) String staffId, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    String n = v.matching("name", "転送鍵の名前", name, NAME, "半角英数字と . _ - の1～64文字");
                    String staff = Identifiers.staffId(v, "staffId", staffId);
                    v.throwIfAny();
                    return new Form(n, null, staff);
                })
                .flatMap(form -> storing.remove(tenant, form.name(), form.staffId(), caller.client().name()))
                .map(outcome -> Refusals.orThrow(outcome, tenant.timeZone()))
                .then();
    }
}
