package jp.otpgateway.gateway.status.adapter.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.ZoneId;
import java.util.List;
import jp.otpgateway.gateway.lifecycle.domain.PendingIssuance;
import jp.otpgateway.gateway.shared.adapter.web.ApiException;
import jp.otpgateway.gateway.shared.adapter.web.ApiTime;
import jp.otpgateway.gateway.shared.adapter.web.ErrorCode;
import jp.otpgateway.gateway.shared.domain.DailyLimit;
import jp.otpgateway.gateway.shared.domain.Identifiers;
import jp.otpgateway.gateway.shared.domain.Validation;
import jp.otpgateway.gateway.status.application.ReadingOtpStatus;
import jp.otpgateway.gateway.status.domain.OtpStatusView;
import jp.otpgateway.gateway.tenant.adapter.web.Caller;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * What the portal shows: a user's OTP status (R16, with the fallback limit of R10) and the users of a
 * contract as a MASTER/ADMIN sees them (portal role).
 */
@RestController
@Tag(name = "Status", description = "ワンタイムパスワードの状態・契約者の利用者一覧（portal）")
public class OtpStatusController {

    private final ReadingOtpStatus readingOtpStatus;

    public OtpStatusController(ReadingOtpStatus readingOtpStatus) {
        this.readingOtpStatus = readingOtpStatus;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OtpStatusResponse(
            String loginId,
            String status,
            String kind,
            String serial,
            String expiresAt,
            List<String> sharedWith,
            Pending pending,
            String reissueAvailableFrom,
            String issuanceAvailableAt,
            @JsonInclude(JsonInclude.Include.ALWAYS) Long dailyTransferLimit,
            Long dailyTransferUsed,
            Long dailyTransferRemaining,
            String activationRequiredFrom,
            Boolean activationRequired) {
    }

    /**
     * A requested token not yet activated. HARDWARE (R4): REQUESTED until shipped, then SHIPPED, with
     * {@code shipmentId}. SOFTWARE (R2): SETUP_PENDING until the app's setup, then PROVISIONED, with
     * the serial and the app's {@code serviceId} and {@code appUserId}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Pending(String kind, String status, String requestedAt, Long shipmentId, String serial,
                          String serviceId, String appUserId, String startsOn) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MemberResponse(String loginId, String name, String role, String serial, String status,
                                 String expiresAt) {
    }

    @GetMapping(path = "/v1/tenants/{tenantId}/users/{loginId}/otp", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "ワンタイムパスワードの状態", description = "R16 status; without an active OTP dailyTransferLimit with today's used and remaining amount (R10).")
    public Mono<OtpStatusResponse> status(@PathVariable String tenantId, @PathVariable String loginId,
                                          ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        return Mono.fromSupplier(() -> checkedLoginId(loginId))
                .flatMap(id -> readingOtpStatus.statusOf(caller.tenant(), id))
                .switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.USER_NOT_FOUND, "no such user")))
                .map(view -> toResponse(view, caller.tenant().timeZone()));
    }

    @GetMapping(path = "/v1/tenants/{tenantId}/contracts/{contractId}/users", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "利用者一覧", description = "Users of the contract with serial, R16 status and expiry.")
    public Mono<List<MemberResponse>> users(@PathVariable String tenantId, @PathVariable String contractId,
                                            ServerWebExchange exchange) {
        TenantConfig tenant = Caller.of(exchange).tenant();
        return Mono.fromSupplier(() -> checkedContract(contractId))
                .flatMap(c -> readingOtpStatus.contract(tenant, c))
                .switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.CONTRACT_NOT_FOUND, "no such contract")))
                .map(members -> members.stream().map(m -> new MemberResponse(m.user().loginId(), m.user().name(),
                        m.user().role().name(), m.serial().orElse(null), m.status().name(),
                        m.expiresAt().map(at -> ApiTime.format(at, tenant.timeZone())).orElse(null))).toList());
    }

    static String checkedLoginId(String loginId) {
        Validation v = new Validation();
        Identifiers.loginId(v, "loginId", loginId);
        v.throwIfAny();
        return loginId;
    }

    private static String checkedContract(String contractId) {
        Validation v = new Validation();
        Identifiers.contractId(v, "contractId", contractId);
        v.throwIfAny();
        return contractId;
    }

    private static OtpStatusResponse toResponse(OtpStatusView view, ZoneId zone) {
        Pending pending = view.pending().map(p -> new Pending(p.kind().name(), p.status().name(),
                ApiTime.format(p.requestedAt(), zone), p.setupIds().isPresent() ? null : p.shipmentId(),
                p.serial().orElse(null), p.setupIds().map(PendingIssuance.SetupIds::serviceId).orElse(null),
                p.setupIds().map(PendingIssuance.SetupIds::appUserId).orElse(null),
                p.startsOn().map(Object::toString).orElse(null))).orElse(null);
        return new OtpStatusResponse(view.loginId(), view.status().name(), view.kind().map(Enum::name).orElse(null),
                view.serial().orElse(null), view.expiresAt().map(at -> ApiTime.format(at, zone)).orElse(null),
                view.sharedWith(), pending,
                view.reissueAvailableFrom().map(at -> ApiTime.format(at, zone)).orElse(null),
                view.issuanceAvailableAt().map(at -> ApiTime.format(at, zone)).orElse(null),
                view.fallbackLimit().map(DailyLimit::daily).orElse(null),
                view.fallbackLimit().map(DailyLimit::used).orElse(null),
                view.fallbackLimit().map(DailyLimit::remaining).orElse(null),
                view.activationRequiredFrom().map(at -> ApiTime.format(at, zone)).orElse(null),
                view.activationRequiredFrom().isPresent() ? view.activationRequired() : null);
    }
}
