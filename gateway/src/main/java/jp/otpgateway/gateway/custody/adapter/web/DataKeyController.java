package jp.otpgateway.gateway.custody.adapter.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Pattern;
import jp.otpgateway.gateway.custody.application.ManagingDataKeys;
import jp.otpgateway.gateway.shared.adapter.web.ApiTime;
import jp.otpgateway.gateway.shared.adapter.web.Refusals;
import jp.otpgateway.gateway.shared.domain.Identifiers;
import jp.otpgateway.gateway.shared.domain.Validation;
import jp.otpgateway.gateway.tenant.adapter.web.Caller;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The tenant's data keys (docs/custody.md, docs/api.md "Key custody"): listing, rotation, removal,
 * re-seal, and crypto-shredding in two steps. No call ever answers a key's material.
 */
@RestController
@Tag(name = "Operator", description = "信用組合の事務（operator）")
public class DataKeyController {

    static final String PATH = "/v1/tenants/{tenantId}/operator/data-keys";
    static final Pattern KEY_ID = Pattern.compile("[0-9]{1,10}");
    static final Pattern CONFIRMATION = Pattern.compile("[A-Z0-9]{10}");

    private final ManagingDataKeys managing;

    public DataKeyController(ManagingDataKeys managing) {
        this.managing = managing;
    }

    public record DataKeyStaffRequest(String staffId) {
    }

    public record DataKeyDestructionRequest(String confirmation, String staffId) {
    }

    public record DataKeyResponse(long keyId, boolean primary, String primaryFrom, String createdAt, long sealed) {
    }

    public record ResealResponse(long keyId, long resealed, boolean finished, String startedAt, String finishedAt) {
    }

    public record DataKeyListResponse(boolean destroyed, List<DataKeyResponse> keys, long legacySealed, ResealResponse reseal) {
    }

    public record ResealStartedResponse(long keyId) {
    }

    public record DestructionConfirmationResponse(String confirmation, String expiresAt, long sealed) {
    }

    public record DestructionResponse(int destroyedKeys, String destroyedAt) {
    }

    @GetMapping(PATH)
    @Operation(summary = "シード暗号鍵の一覧", description = "The tenant's data keys (never their material): which one "
            + "seals now, how many secrets each seals, the secrets still under the legacy keyset, the re-seal's progress.")
    public Mono<DataKeyListResponse> list(@PathVariable String tenantId, ServerWebExchange exchange) {
        TenantConfig tenant = Caller.of(exchange).tenant();
        ZoneId zone = tenant.timeZone();
        return managing.list(tenant).map(l -> new DataKeyListResponse(l.destroyed(),
                l.keys().stream().map(k -> view(k, zone)).toList(), l.legacySealed(),
                l.reseal().map(j -> new ResealResponse(j.keyId(), j.resealed(), j.finishedAt().isPresent(),
                        ApiTime.format(j.startedAt(), zone), j.finishedAt().map(at -> ApiTime.format(at, zone)).orElse(null)))
                        .orElse(null)));
    }

    @PostMapping(PATH)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "シード暗号鍵の切替（ローテーション）", description = "A new data key, wrapped by the HSM's KEK; it "
            + "starts sealing after otp.crypto.data-keys.propagation (30 s), then every secret is re-sealed to it in "
            + "the background. 409 ROTATION_PENDING while the previous rotation runs.")
    public Mono<DataKeyResponse> rotate(@PathVariable String tenantId, @RequestBody DataKeyStaffRequest body,
                                        ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return staff(body.staffId())
                .flatMap(staff -> managing.rotate(tenant, staff, caller.client().name()))
                .map(outcome -> view(Refusals.orThrow(outcome, tenant.timeZone()), tenant.timeZone()));
    }

    @DeleteMapping(PATH + "/{keyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "シード暗号鍵の削除", description = "staffId as a query parameter. Only a key that no longer "
            + "seals and that no secret uses: 409 DATA_KEY_PRIMARY or DATA_KEY_IN_USE otherwise.")
    public Mono<Void> remove(@PathVariable String tenantId, @PathVariable String keyId,
                             @RequestParam(required = false) String staffId, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    String id = v.matching("keyId", "鍵ID", keyId, KEY_ID, "半角数字");
                    String staff = Identifiers.staffId(v, "staffId", staffId);
                    v.throwIfAny();
                    return new Removal(Long.parseLong(id), staff);
                })
                .flatMap(r -> managing.remove(tenant, r.keyId(), r.staffId(), caller.client().name()))
                .map(outcome -> Refusals.orThrow(outcome, tenant.timeZone()))
                .then();
    }

    private record Removal(long keyId, String staffId) {
    }

    @PostMapping(PATH + "/reseal")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "再暗号化の開始", description = "Re-seals every secret of the tenant to the key that seals now, "
            + "in the background (e.g. seeds sealed with the legacy keyset). Progress in GET.")
    public Mono<ResealStartedResponse> reseal(@PathVariable String tenantId, @RequestBody DataKeyStaffRequest body,
                                              ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return staff(body.staffId())
                .flatMap(staff -> managing.reseal(tenant, staff, caller.client().name()))
                .map(outcome -> new ResealStartedResponse(Refusals.orThrow(outcome, tenant.timeZone())));
    }

    @PostMapping(PATH + "/destruction-requests")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "鍵の破棄申請（暗号学的消去・第1段階）", description = "Answers a confirmation code, valid for "
            + "otp.crypto.data-keys.destruction-confirmation (10 min), that the destruction must give back. "
            + "409 RESEAL_PENDING while secrets are still under the legacy keyset.")
    public Mono<DestructionConfirmationResponse> requestDestruction(@PathVariable String tenantId,
                                                                    @RequestBody DataKeyStaffRequest body,
                                                                    ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return staff(body.staffId())
                .flatMap(staff -> managing.requestDestruction(tenant, staff, caller.client().name()))
                .map(outcome -> Refusals.orThrow(outcome, tenant.timeZone()))
                .map(r -> new DestructionConfirmationResponse(r.confirmation(), ApiTime.format(r.expiresAt(), tenant.timeZone()),
                        r.sealed()));
    }

    @PostMapping(PATH + "/destruction")
    @Operation(summary = "鍵の破棄（暗号学的消去・第2段階）", description = "With the request's confirmation code: every "
            + "data key of the tenant is deleted; its seeds and transport keys can never be opened again, and every "
            + "call of the tenant that needs them answers 410 TENANT_KEYS_DESTROYED. Cannot be undone.")
    public Mono<DestructionResponse> destroy(@PathVariable String tenantId, @RequestBody DataKeyDestructionRequest body,
                                             ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    String code = v.matching("confirmation", "確認コード", body.confirmation(), CONFIRMATION,
                            "破棄申請で表示された10文字の確認コード");
                    String staff = Identifiers.staffId(v, "staffId", body.staffId());
                    v.throwIfAny();
                    return new String[] {code, staff};
                })
                .flatMap(f -> managing.destroy(tenant, f[0], f[1], caller.client().name()))
                .map(outcome -> Refusals.orThrow(outcome, tenant.timeZone()))
                .map(d -> new DestructionResponse(d.keys(), ApiTime.format(d.at(), tenant.timeZone())));
    }

    private static Mono<String> staff(String staffId) {
        return Mono.fromSupplier(() -> {
            Validation v = new Validation();
            String staff = Identifiers.staffId(v, "staffId", staffId);
            v.throwIfAny();
            return staff;
        });
    }

    private static DataKeyResponse view(ManagingDataKeys.KeyView k, ZoneId zone) {
        return new DataKeyResponse(k.id(), k.primary(), ApiTime.format(k.primaryFrom(), zone),
                ApiTime.format(k.createdAt(), zone), k.sealed());
    }
}
