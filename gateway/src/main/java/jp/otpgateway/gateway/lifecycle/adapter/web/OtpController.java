package jp.otpgateway.gateway.lifecycle.adapter.web;

import jp.otpgateway.gateway.shared.adapter.web.ApiTime;
import jp.otpgateway.gateway.shared.adapter.web.Refusals;
import jp.otpgateway.gateway.tenant.adapter.web.Caller;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.lifecycle.application.ActivatingToken;
import jp.otpgateway.gateway.lifecycle.application.DeactivatingToken;
import jp.otpgateway.gateway.lifecycle.application.IssuingToken;
import jp.otpgateway.gateway.shared.domain.Identifiers;
import jp.otpgateway.gateway.lifecycle.domain.IssuancePolicy;
import jp.otpgateway.gateway.verification.domain.OtpFields;
import jp.otpgateway.gateway.lifecycle.domain.SoftwareFields;
import jp.otpgateway.gateway.shared.domain.FieldViolation;
import jp.otpgateway.gateway.shared.domain.Validation;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.TokenKind;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** The token lifecycle of one user, called by the portal on the user's behalf (portal role). */
@RestController
@RequestMapping(path = "/v1/tenants/{tenantId}/users/{loginId}/otp", produces = MediaType.APPLICATION_JSON_VALUE,
        consumes = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "OTP lifecycle", description = "トークンの発行・利用開始・利用解除（portal）")
public class OtpController {

    private final IssuingToken issuing;
    private final ActivatingToken activating;
    private final DeactivatingToken deactivating;

    public OtpController(IssuingToken issuing, ActivatingToken activating, DeactivatingToken deactivating) {
        this.issuing = issuing;
        this.activating = activating;
        this.deactivating = deactivating;
    }

    public record IssuanceRequest(String kind, String email, String activationPassword, String otp) {

        @Override
        public String toString() {
            return "IssuanceRequest[kind=" + kind + ", email=" + email + ", activationPassword=***, otp=***]";
        }
    }

    /** HARDWARE: the shipment request (R4). SOFTWARE: the IDs the app's setup asks for (R2). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IssuanceResponse(String status, String kind, Long shipmentId, String serviceId, String appUserId,
                                   Boolean reissue) {
    }

    public record ActivationRequest(String serial, String otp) {
    }

    public record ActivationResponse(String status, String kind, String serial, String expiresAt,
                                     List<String> sharedWith) {
    }

    public record DeactivationRequest(String otp) {
    }

    public record DeactivationResponse(String status) {
    }

    @PostMapping("/issuance")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "トークン発行（再発行）の申込み",
            description = "R2/R4/R13: HARDWARE requests a shipment; SOFTWARE (with `email` and `activationPassword`) "
                    + "creates the token and mails the app's serviceId and appUserId; a reissue within the window needs `otp`.")
    public Mono<IssuanceResponse> issue(@PathVariable String tenantId, @PathVariable String loginId,
                                        @RequestBody IssuanceRequest body, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    String login = Identifiers.loginId(v, "loginId", loginId);
                    TokenKind kind = LifecycleWeb.kind(v, body.kind(), tenant);
                    boolean normalize = tenant.otp().normalizeFullWidthDigits();
                    Optional<String> otp = OtpFields.optionalOtp(v, "otp", body.otp(), normalize);
                    Optional<IssuingToken.SoftwareRequest> software = Optional.empty();
                    if (kind == TokenKind.SOFTWARE) {
                        String email = SoftwareFields.email(v, "email", body.email());
                        String password = SoftwareFields.activationPassword(v, "activationPassword",
                                body.activationPassword(), tenant.tokens().software(), normalize);
                        software = Optional.of(new IssuingToken.SoftwareRequest(email, password));
                    } else if (kind == TokenKind.HARDWARE) {
                        notForHardware(v, "email", body.email());
                        notForHardware(v, "activationPassword", body.activationPassword());
                    }
                    v.throwIfAny();
                    return new IssuingToken.Command(login, kind, otp, IssuancePolicy.Channel.PORTAL,
                            caller.client().name(), software);
                })
                .flatMap(command -> issuing.issue(tenant, command))
                .map(outcome -> LifecycleWeb.issued(outcome, tenant));
    }

    private static void notForHardware(Validation v, String field, String value) {
        if (value != null) {
            v.add(new FieldViolation(field, FieldViolation.INVALID_VALUE,
                    "ハードウェアトークンの発行では指定できません（ソフトウェアトークンの項目です）。"));
        }
    }

    @PostMapping("/activation")
    @Operation(summary = "ワンタイムパスワード利用開始",
            description = "R3: without serial, the user's software token (after the app's setup) with a current OTP. "
                    + "R5/R6/R12/R13: serial + current OTP for a hardware token; a token of the same contract may be shared.")
    public Mono<ActivationResponse> activate(@PathVariable String tenantId, @PathVariable String loginId,
                                             @RequestBody ActivationRequest body, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        boolean normalize = tenant.otp().normalizeFullWidthDigits();
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    String login = Identifiers.loginId(v, "loginId", loginId);
                    String otp = OtpFields.otp(v, "otp", body.otp(), normalize);
                    String serial = body.serial() == null ? null : OtpFields.serial(v, "serial", body.serial(), normalize);
                    v.throwIfAny();
                    return new ActivatingToken.Command(login, serial, otp, caller.client().name());
                })
                .flatMap(command -> activating.activate(tenant, command))
                .map(outcome -> {
                    ActivatingToken.Activated a = Refusals.orThrow(outcome, tenant.timeZone());
                    return new ActivationResponse("ACTIVE", a.kind().name(), a.serial(),
                            ApiTime.format(a.expiresAt(), tenant.timeZone()), a.sharedWith());
                });
    }

    @PostMapping("/deactivation")
    @Operation(summary = "ワンタイムパスワード利用解除",
            description = "R11: with the current OTP where the tenant requires it; the user may never reuse the token.")
    public Mono<DeactivationResponse> deactivate(@PathVariable String tenantId, @PathVariable String loginId,
                                                 @RequestBody(required = false) DeactivationRequest body,
                                                 ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    String login = Identifiers.loginId(v, "loginId", loginId);
                    Optional<String> otp = OtpFields.optionalOtp(v, "otp", body == null ? null : body.otp(),
                            tenant.otp().normalizeFullWidthDigits());
                    v.throwIfAny();
                    return new DeactivatingToken.Command(login, otp, caller.client().name());
                })
                .flatMap(command -> deactivating.deactivate(tenant, command))
                .map(outcome -> new DeactivationResponse(Refusals.orThrow(outcome, tenant.timeZone()).name()));
    }
}
