package jp.otpgateway.gateway.verification.adapter.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jp.otpgateway.gateway.shared.adapter.web.Refusals;
import jp.otpgateway.gateway.shared.domain.Identifiers;
import jp.otpgateway.gateway.shared.domain.Validation;
import jp.otpgateway.gateway.tenant.adapter.web.Caller;
import jp.otpgateway.gateway.verification.application.ResynchronisingToken;
import jp.otpgateway.gateway.verification.domain.OtpFields;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Resynchronisation of a token's clock with two consecutive codes (RFC 6238 §6): the user's own
 * through the portal, any held key-fob at the branch (operator role, with the clerk's staff ID).
 */
@RestController
@Tag(name = "Resync", description = "トークンの時刻補正（連続2回のワンタイムパスワード）")
public class ResyncController {

    private final ResynchronisingToken resyncing;

    public ResyncController(ResynchronisingToken resyncing) {
        this.resyncing = resyncing;
    }

    public record UserResyncRequest(String otp1, String otp2) {
    }

    public record BranchResyncRequest(String otp1, String otp2, String staffId) {
    }

    public record UserResyncResponse(int driftSteps) {
    }

    public record BranchResyncResponse(String serial, int driftSteps) {
    }

    private static final String RULES = "Two consecutive codes within now ± otp.drift.resyncWindow steps; the window "
            + "then follows the token's clock (driftSteps). A wrong pair is 422 OTP_INVALID and counts towards the "
            + "lock like a wrong code; a pair at or below the last accepted step 422 OTP_REPLAYED (counted); 423 when "
            + "locked; two equal codes 400; 409 RESYNC_DISABLED where the tenant's resyncWindow is 0.";

    @PostMapping(path = "/v1/tenants/{tenantId}/users/{loginId}/otp/resync",
            consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "時刻補正（利用者）", description = RULES)
    public Mono<UserResyncResponse> ofUser(@PathVariable String tenantId, @PathVariable String loginId,
                                           @RequestBody UserResyncRequest body, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    String login = Identifiers.loginId(v, "loginId", loginId);
                    var codes = ResynchronisingToken.Codes.of(v, tenant, body.otp1(), body.otp2());
                    v.throwIfAny();
                    return new UserForm(login, codes);
                })
                .flatMap(form -> resyncing.ofUser(tenant, form.loginId(), form.codes(), caller.client().name()))
                .map(outcome -> new UserResyncResponse(Refusals.orThrow(outcome, tenant.timeZone()).driftSteps()));
    }

    @PostMapping(path = "/v1/tenants/{tenantId}/operator/tokens/{serial}/resync",
            consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "時刻補正（窓口）", description = RULES + " The audit names the clerk (staffId).")
    public Mono<BranchResyncResponse> atBranch(@PathVariable String tenantId, @PathVariable String serial,
                                               @RequestBody BranchResyncRequest body, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    String s = OtpFields.serial(v, "serial", serial, tenant.otp().normalizeFullWidthDigits());
                    var codes = ResynchronisingToken.Codes.of(v, tenant, body.otp1(), body.otp2());
                    String staff = Identifiers.staffId(v, "staffId", body.staffId());
                    v.throwIfAny();
                    return new BranchForm(s, codes, staff);
                })
                .flatMap(form -> resyncing.atBranch(tenant, form.serial(), form.codes(), form.staffId(),
                        caller.client().name()))
                .map(outcome -> {
                    var accepted = Refusals.orThrow(outcome, tenant.timeZone());
                    return new BranchResyncResponse(accepted.serial(), accepted.driftSteps());
                });
    }

    private record UserForm(String loginId, ResynchronisingToken.Codes codes) {
    }

    private record BranchForm(String serial, ResynchronisingToken.Codes codes, String staffId) {
    }
}
