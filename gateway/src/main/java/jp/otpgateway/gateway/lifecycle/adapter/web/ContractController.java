package jp.otpgateway.gateway.lifecycle.adapter.web;

import jp.otpgateway.gateway.shared.adapter.web.ApiTime;
import jp.otpgateway.gateway.shared.adapter.web.Refusals;
import jp.otpgateway.gateway.tenant.adapter.web.Caller;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.lifecycle.application.RevokingTokens;
import jp.otpgateway.gateway.lifecycle.application.UnlockingUsers;
import jp.otpgateway.gateway.shared.domain.Identifiers;
import jp.otpgateway.gateway.verification.domain.OtpFields;
import jp.otpgateway.gateway.shared.domain.Validation;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Contract administration by a MASTER/ADMIN user through the portal (R8, R12; manual 004). */
@RestController
@RequestMapping(path = "/v1/tenants/{tenantId}/contracts/{contractId}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Contract administration", description = "契約者の利用停止解除・失効（portal）")
public class ContractController {

    private final UnlockingUsers unlocking;
    private final RevokingTokens revoking;

    public ContractController(UnlockingUsers unlocking, RevokingTokens revoking) {
        this.unlocking = unlocking;
        this.revoking = revoking;
    }

    public record UnlockRequest(String actor, List<String> loginIds) {
    }

    public record UserTokenStatus(String loginId, String serial, String status) {
    }

    public record UnlockResponse(List<UserTokenStatus> unlocked) {
    }

    public record RevocationRequest(String actor, List<String> loginIds, String otp) {
    }

    public record RevocationResponse(List<UserTokenStatus> revoked, String issuanceAvailableAt) {
    }

    @PostMapping(path = "/unlocks", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "利用停止解除", description = "R8: by an actor whose role is in the tenant's unlockBy; "
            + "every user sharing a selected user's token is unlocked too.")
    public Mono<UnlockResponse> unlock(@PathVariable String tenantId, @PathVariable String contractId,
                                       @RequestBody UnlockRequest body, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    Identifiers.contractId(v, "contractId", contractId);
                    Identifiers.loginId(v, "actor", body.actor());
                    List<String> ids = OtpFields.loginIds(v, "loginIds", body.loginIds());
                    v.throwIfAny();
                    return ids;
                })
                .flatMap(ids -> unlocking.byContract(tenant, contractId, body.actor(), ids, caller.client().name()))
                .map(outcome -> LifecycleWeb.unlocked(outcome, tenant));
    }

    @PostMapping(path = "/revocations", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "トークンの失効", description = "R12: by a MASTER/ADMIN user of the contract, with the actor's "
            + "OTP when the tenant's TOKEN_REVOCATION needs one.")
    public Mono<RevocationResponse> revoke(@PathVariable String tenantId, @PathVariable String contractId,
                                           @RequestBody RevocationRequest body, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    Identifiers.contractId(v, "contractId", contractId);
                    Identifiers.loginId(v, "actor", body.actor());
                    List<String> ids = OtpFields.loginIds(v, "loginIds", body.loginIds());
                    Optional<String> otp = OtpFields.optionalOtp(v, "otp", body.otp(),
                            tenant.otp().normalizeFullWidthDigits());
                    v.throwIfAny();
                    return new RevokingTokens.Command(contractId, body.actor(), ids, otp, caller.client().name());
                })
                .flatMap(command -> revoking.revoke(tenant, command))
                .map(outcome -> {
                    RevokingTokens.Result r = Refusals.orThrow(outcome, tenant.timeZone());
                    return new RevocationResponse(r.revoked().stream()
                            .map(u -> new UserTokenStatus(u.loginId(), u.serial(), u.status().name())).toList(),
                            ApiTime.format(r.issuanceAvailableAt(), tenant.timeZone()));
                });
    }


}
