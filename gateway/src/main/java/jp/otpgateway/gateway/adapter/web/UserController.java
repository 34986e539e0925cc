package jp.otpgateway.gateway.adapter.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.ZoneId;
import java.util.List;
import jp.otpgateway.gateway.application.ReadingOtpStatus;
import jp.otpgateway.gateway.application.RegisteringUser;
import jp.otpgateway.gateway.domain.Identifiers;
import jp.otpgateway.gateway.domain.token.PendingIssuance;
import jp.otpgateway.gateway.domain.transaction.DailyLimit;
import jp.otpgateway.gateway.domain.user.OtpStatusView;
import jp.otpgateway.gateway.domain.user.RegisterUserCommand;
import jp.otpgateway.gateway.domain.user.User;
import jp.otpgateway.gateway.domain.validation.Validation;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Users of a tenant, as the portal registers them, and their OTP status (portal role). */
@RestController
@RequestMapping(path = "/v1/tenants/{tenantId}/users/{loginId}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Users", description = "利用者の登録とワンタイムパスワードの状態（portal）")
public class UserController {

    private final RegisteringUser registeringUser;
    private final ReadingOtpStatus readingOtpStatus;

    public UserController(RegisteringUser registeringUser, ReadingOtpStatus readingOtpStatus) {
        this.registeringUser = registeringUser;
        this.readingOtpStatus = readingOtpStatus;
    }

    public record UserRequest(String contractId, String name, String role, String email) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UserResponse(String loginId, String contractId, String name, String role, String email,
                               String createdAt, String updatedAt) {
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
            Long dailyTransferRemaining) {
    }

    /**
     * A requested token not yet activated. HARDWARE (R4): REQUESTED until shipped, then SHIPPED, with
     * {@code shipmentId}. SOFTWARE (R2): SETUP_PENDING until the app's setup, then PROVISIONED, with
     * the serial and the app's {@code serviceId} and {@code appUserId}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Pending(String kind, String status, String requestedAt, Long shipmentId, String serial,
                          String serviceId, String appUserId) {
    }

    @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "利用者の登録・更新", description = "Creates (201) or updates (200) a user of a contract.")
    public Mono<ResponseEntity<UserResponse>> register(
            @PathVariable String tenantId, @PathVariable String loginId, @RequestBody UserRequest body,
            ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        return Mono.fromSupplier(() -> RegisterUserCommand.of(caller.tenant().id(), loginId, body.contractId(),
                        body.name(), body.role(), body.email()))
                .flatMap(registeringUser::register)
                .map(outcome -> Refusals.orThrow(outcome, caller.tenant().timeZone()))
                .map(registered -> ResponseEntity.status(registered.created() ? HttpStatus.CREATED : HttpStatus.OK)
                        .body(toResponse(registered.user(), caller)));
    }

    @GetMapping("/otp")
    @Operation(summary = "ワンタイムパスワードの状態", description = "R16 status; without an active OTP dailyTransferLimit with today's used and remaining amount (R10).")
    public Mono<OtpStatusResponse> status(@PathVariable String tenantId, @PathVariable String loginId,
                                          ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        return Mono.fromSupplier(() -> checkedLoginId(loginId))
                .flatMap(id -> readingOtpStatus.statusOf(caller.tenant(), id))
                .switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.USER_NOT_FOUND, "no such user")))
                .map(view -> toResponse(view, caller.tenant().timeZone()));
    }

    static String checkedLoginId(String loginId) {
        Validation v = new Validation();
        Identifiers.loginId(v, "loginId", loginId);
        v.throwIfAny();
        return loginId;
    }

    private static UserResponse toResponse(User user, Caller caller) {
        var zone = caller.tenant().timeZone();
        return new UserResponse(user.loginId(), user.contractId(), user.name(), user.role().name(),
                user.email().orElse(null), ApiTime.format(user.createdAt(), zone), ApiTime.format(user.updatedAt(), zone));
    }

    private static OtpStatusResponse toResponse(OtpStatusView view, ZoneId zone) {
        Pending pending = view.pending().map(p -> new Pending(p.kind().name(), p.status().name(),
                ApiTime.format(p.requestedAt(), zone), p.setupIds().isPresent() ? null : p.shipmentId(),
                p.serial().orElse(null), p.setupIds().map(PendingIssuance.SetupIds::serviceId).orElse(null),
                p.setupIds().map(PendingIssuance.SetupIds::appUserId).orElse(null))).orElse(null);
        return new OtpStatusResponse(view.loginId(), view.status().name(), view.kind().map(Enum::name).orElse(null),
                view.serial().orElse(null), view.expiresAt().map(at -> ApiTime.format(at, zone)).orElse(null),
                view.sharedWith(), pending,
                view.reissueAvailableFrom().map(at -> ApiTime.format(at, zone)).orElse(null),
                view.issuanceAvailableAt().map(at -> ApiTime.format(at, zone)).orElse(null),
                view.fallbackLimit().map(DailyLimit::daily).orElse(null),
                view.fallbackLimit().map(DailyLimit::used).orElse(null),
                view.fallbackLimit().map(DailyLimit::remaining).orElse(null));
    }
}
