package jp.otpgateway.gateway.verification.adapter.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jp.otpgateway.gateway.shared.adapter.web.Refusals;
import jp.otpgateway.gateway.tenant.adapter.web.Caller;
import jp.otpgateway.gateway.verification.application.VerifyingOtp;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** The portal checks a user's code for an operation (R1, R7; portal role). */
@RestController
@Tag(name = "Verification", description = "ワンタイムパスワード認証（portal）")
public class VerificationController {

    private final VerifyingOtp verifying;

    public VerificationController(VerifyingOtp verifying) {
        this.verifying = verifying;
    }

    public record VerificationRequest(String otp, String operation) {
    }

    public record VerificationResponse(String result) {
    }

    @PostMapping(path = "/v1/tenants/{tenantId}/users/{loginId}/otp/verification",
            consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "ワンタイムパスワード認証",
            description = "R1/R7: 423 when locked, 422 OTP_INVALID with remainingAttempts, 422 OTP_REPLAYED; "
                    + "400 for a code of another length than the token's (not counted).")
    public Mono<VerificationResponse> verify(@PathVariable String tenantId, @PathVariable String loginId,
                                             @RequestBody VerificationRequest body, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> VerifyingOtp.Command.of(tenant, loginId, body.otp(), body.operation(),
                        caller.client().name()))
                .flatMap(command -> verifying.verify(tenant, command))
                .map(outcome -> {
                    Refusals.orThrow(outcome, tenant.timeZone());
                    return new VerificationResponse("ACCEPTED");
                });
    }
}
