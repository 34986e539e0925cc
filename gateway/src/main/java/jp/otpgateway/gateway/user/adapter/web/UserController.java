package jp.otpgateway.gateway.user.adapter.web;

import jp.otpgateway.gateway.shared.adapter.web.ApiTime;
import jp.otpgateway.gateway.shared.adapter.web.Refusals;
import jp.otpgateway.gateway.tenant.adapter.web.Caller;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jp.otpgateway.gateway.user.application.RegisteringUser;
import jp.otpgateway.gateway.user.domain.RegisterUserCommand;
import jp.otpgateway.gateway.user.domain.User;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Users of a tenant, as the portal registers them (portal role). */
@RestController
@RequestMapping(path = "/v1/tenants/{tenantId}/users/{loginId}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Users", description = "利用者の登録（portal）")
public class UserController {

    private final RegisteringUser registeringUser;

    public UserController(RegisteringUser registeringUser) {
        this.registeringUser = registeringUser;
    }

    public record UserRequest(String contractId, String name, String role, String email) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UserResponse(String loginId, String contractId, String name, String role, String email,
                               String createdAt, String updatedAt) {
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

    private static UserResponse toResponse(User user, Caller caller) {
        var zone = caller.tenant().timeZone();
        return new UserResponse(user.loginId(), user.contractId(), user.name(), user.role().name(),
                user.email().orElse(null), ApiTime.format(user.createdAt(), zone), ApiTime.format(user.updatedAt(), zone));
    }


}
