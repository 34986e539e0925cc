package jp.otpgateway.gateway.provisioning.adapter.web;

import java.time.ZoneOffset;
import jp.otpgateway.gateway.shared.adapter.web.ApiException;
import jp.otpgateway.gateway.shared.adapter.web.ApiTime;
import jp.otpgateway.gateway.shared.adapter.web.ErrorCode;
import jp.otpgateway.gateway.shared.adapter.web.Refusals;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.provisioning.application.ProvisioningSoftwareToken;
import jp.otpgateway.gateway.provisioning.application.port.SetupRateLimit;
import jp.otpgateway.gateway.lifecycle.domain.SoftwareFields;
import jp.otpgateway.gateway.shared.domain.Validation;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The token app's initial setup (R2): public, without an API key, limited per client address. The
 * client address is the connection's peer; behind a load balancer set
 * {@code server.forward-headers-strategy=framework} so that it is the address the balancer forwards.
 */
@RestController
@Tag(name = "Token app", description = "ワンタイムパスワードアプリの初期設定（public, rate limited）")
public class ProvisioningController {

    private final ProvisioningSoftwareToken provisioning;
    private final SetupRateLimit rateLimit;
    private final Clock clock;

    public ProvisioningController(ProvisioningSoftwareToken provisioning, SetupRateLimit rateLimit, Clock clock) {
        this.provisioning = provisioning;
        this.rateLimit = rateLimit;
        this.clock = clock;
    }

    public record ProvisioningRequest(String serviceId, String appUserId, String activationPassword) {

        @Override
        public String toString() {
            return "ProvisioningRequest[serviceId=" + serviceId + ", appUserId=" + appUserId
                    + ", activationPassword=***]";
        }
    }

    /** The token for the app, once; {@code secret} is the Base32 seed also carried in {@code otpauthUri}. */
    public record ProvisioningResponse(String tenantName, String serial, String otpauthUri, String secret,
                                       String algorithm, int digits, int period, String startsAt, String expiresAt) {

        @Override
        public String toString() {
            return "ProvisioningResponse[serial=" + serial + ", secret=***]";
        }
    }

    @SecurityRequirements
    @PostMapping(path = "/v1/provisioning", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "アプリの初期設定",
            description = "R2: serviceId + appUserId + activationPassword → the token (otpauth URI, Base32 secret), "
                    + "once. Every refusal is 422 SETUP_FAILED; after the tenant's setupAttempts wrong passwords the "
                    + "setup is void. 429 RATE_LIMITED per client address.")
    public Mono<ResponseEntity<ProvisioningResponse>> provision(@RequestBody ProvisioningRequest body,
                                                                ServerWebExchange exchange) {
        String address = clientAddress(exchange);
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    String serviceId = SoftwareFields.serviceId(v, "serviceId", body.serviceId());
                    String appUserId = SoftwareFields.appUserId(v, "appUserId", body.appUserId());
                    String password = SoftwareFields.setupPassword(v, "activationPassword", body.activationPassword());
                    v.throwIfAny();
                    return new ProvisioningSoftwareToken.Command(serviceId, appUserId, password, address);
                })
                .flatMap(command -> rateLimit.tryAcquire(address)
                        .flatMap(allowed -> allowed ? provisioning.provision(command) : Mono.error(rateLimited())))
                .map(outcome -> {
                    ProvisioningSoftwareToken.Provisioned p = Refusals.orThrow(outcome, ZoneOffset.UTC);
                    return ResponseEntity.ok()
                            .cacheControl(CacheControl.noStore())
                            .body(new ProvisioningResponse(p.tenantName(), p.serial(), p.otpauthUri(), p.secret(),
                                    p.algorithm().name(), p.digits(), p.periodSeconds(),
                                    ApiTime.format(p.startsAt(), p.zone()), ApiTime.format(p.expiresAt(), p.zone())));
                });
    }

    private ApiException rateLimited() {
        long millis = clock.millis();
        long untilNextMinute = 60_000 - millis % 60_000;
        return new ApiException(ErrorCode.RATE_LIMITED, "too many app setups from this address this minute",
                List.of(), Optional.of(Duration.ofMillis(untilNextMinute).plusSeconds(1).withNanos(0)));
    }

    private static String clientAddress(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        if (remote == null) {
            return "unknown";
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }
}
