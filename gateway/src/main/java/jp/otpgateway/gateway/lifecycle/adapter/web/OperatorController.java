package jp.otpgateway.gateway.lifecycle.adapter.web;

import jp.otpgateway.gateway.shared.adapter.web.ApiTime;
import jp.otpgateway.gateway.shared.adapter.web.Refusals;
import jp.otpgateway.gateway.tenant.adapter.web.Caller;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.lifecycle.application.IssuingToken;
import jp.otpgateway.gateway.lifecycle.application.ListingExpiringTokens;
import jp.otpgateway.gateway.lifecycle.application.port.Shipments;
import jp.otpgateway.gateway.lifecycle.application.ShippingTokens;
import jp.otpgateway.gateway.lifecycle.application.port.Tokens;
import jp.otpgateway.gateway.lifecycle.application.UnlockingUsers;
import jp.otpgateway.gateway.shared.domain.Identifiers;
import jp.otpgateway.gateway.lifecycle.domain.IssuancePolicy;
import jp.otpgateway.gateway.verification.domain.OtpFields;
import jp.otpgateway.gateway.lifecycle.domain.PendingIssuance;
import jp.otpgateway.gateway.shared.domain.FieldViolation;
import jp.otpgateway.gateway.shared.domain.Validation;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.TokenKind;
import org.springframework.http.HttpStatus;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.time.LocalDate;
import jp.otpgateway.gateway.shared.adapter.csv.CsvCharsets;
import jp.otpgateway.gateway.shared.adapter.csv.CsvExport;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** The tenant's back office (operator role): branch issuances, shipments, unlocks, expiring tokens. */
@RestController
@RequestMapping(path = "/v1/tenants/{tenantId}/operator", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Operator", description = "お取引店・事務センターの操作（operator）")
public class OperatorController {

    static final int MAX_DAYS = 3650;

    private final IssuingToken issuing;
    private final ShippingTokens shipping;
    private final UnlockingUsers unlocking;
    private final ListingExpiringTokens expiring;

    public OperatorController(IssuingToken issuing, ShippingTokens shipping, UnlockingUsers unlocking,
                              ListingExpiringTokens expiring) {
        this.issuing = issuing;
        this.shipping = shipping;
        this.unlocking = unlocking;
        this.expiring = expiring;
    }

    public record BranchIssuanceRequest(String loginId, String kind) {
    }

    /** {@code startsOn}: the 利用開始日 (yyyy-MM-dd), by default the tenant's days after today. */
    public record ShipRequest(String serial, String startsOn) {
    }

    public record OperatorUnlockRequest(List<String> loginIds, String staffId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ShipmentResponse(long shipmentId, String loginId, String contractId, String name, String kind,
                                   String channel, boolean reissue, String status, String requestedAt, String serial,
                                   String shippedAt, String startsOn) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ExpiringTokenResponse(String serial, String kind, String expiresAt, String contractId,
                                        List<String> users) {
    }

    @PostMapping(path = "/issuances", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "窓口でのトークン発行受付", description = "R4: the branch records a paper request.")
    public Mono<OtpController.IssuanceResponse> issue(@PathVariable String tenantId,
                                                      @RequestBody BranchIssuanceRequest body,
                                                      ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    String login = Identifiers.loginId(v, "loginId", body.loginId());
                    TokenKind kind = LifecycleWeb.kind(v, body.kind(), tenant);
                    if (kind == TokenKind.SOFTWARE) {
                        // R2: the user chooses the activation password in the portal; a branch form cannot.
                        v.add(new FieldViolation("kind", FieldViolation.INVALID_VALUE,
                                "ソフトウェアトークンはインターネットバンキングからお申し込みください。HARDWARE を指定してください。"));
                    }
                    v.throwIfAny();
                    return new IssuingToken.Command(login, kind, Optional.empty(), IssuancePolicy.Channel.BRANCH,
                            caller.client().name());
                })
                .flatMap(command -> issuing.issue(tenant, command))
                .map(outcome -> LifecycleWeb.issued(outcome, tenant));
    }

    @GetMapping("/shipments")
    @Operation(summary = "発送依頼一覧", description = "R4: shipments by status (REQUESTED by default). "
            + "Accept: text/csv gives the same list as CSV (UTF-8 with BOM; Windows-31J on request).")
    public Mono<List<ShipmentResponse>> shipments(@PathVariable String tenantId,
                                                  @RequestParam(defaultValue = "REQUESTED") String status,
                                                  ServerWebExchange exchange) {
        TenantConfig tenant = Caller.of(exchange).tenant();
        return Mono.fromSupplier(() -> shipmentStatus(status))
                .flatMap(s -> shipping.list(tenant, s).map(x -> shipment(x, tenant)).collectList());
    }

    static final List<CsvExport.Column> SHIPMENT_COLUMNS = List.of(CsvExport.Column.number("shipment_id"),
            CsvExport.Column.text("login_id"), CsvExport.Column.text("contract_id"), CsvExport.Column.text("name"),
            CsvExport.Column.text("kind"), CsvExport.Column.text("channel"), CsvExport.Column.text("reissue"),
            CsvExport.Column.text("status"), CsvExport.Column.text("requested_at"), CsvExport.Column.text("serial"),
            CsvExport.Column.text("shipped_at"), CsvExport.Column.text("starts_on"));

    /** The shipments to send as a clerk opens them in Excel (shipping labels): one line per shipment. */
    @GetMapping(path = "/shipments", produces = "text/csv")
    public Mono<ResponseEntity<byte[]>> shipmentsCsv(@PathVariable String tenantId,
                                                     @RequestParam(defaultValue = "REQUESTED") String status,
                                                     ServerWebExchange exchange) {
        TenantConfig tenant = Caller.of(exchange).tenant();
        Charset charset = CsvCharsets.accepted(exchange.getRequest().getHeaders().getAccept());
        return Mono.fromSupplier(() -> shipmentStatus(status))
                .flatMap(s -> shipping.list(tenant, s).map(x -> shipment(x, tenant)).collectList()
                        .map(list -> {
                            CsvExport csv = new CsvExport(SHIPMENT_COLUMNS);
                            list.forEach(r -> csv.row(Arrays.asList(r.shipmentId(), r.loginId(), r.contractId(),
                                    r.name(), r.kind(), r.channel(), r.reissue(), r.status(), r.requestedAt(),
                                    r.serial(), r.shippedAt(), r.startsOn())));
                            return ResponseEntity.ok().contentType(CsvExport.mediaType(charset))
                                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"shipments-"
                                            + s.name().toLowerCase(Locale.ROOT) + ".csv\"")
                                    .body(csv.bytes(charset));
                        }));
    }

    private static PendingIssuance.ShipmentStatus shipmentStatus(String status) {
        Validation v = new Validation();
        PendingIssuance.ShipmentStatus s = v.oneOf("status", "状態", status,
                text -> PendingIssuance.ShipmentStatus.SHIPMENT.stream()
                        .filter(x -> x.name().equals(text)).findFirst(),
                "REQUESTED, SHIPPED, COMPLETED");
        v.throwIfAny();
        return s;
    }

    @PostMapping(path = "/shipments/{shipmentId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "トークン発送", description = "R4: ship a token from stock with its serial and start date "
            + "(利用開始日, default: today + tokens.hardware.startAfterShipping); the user's status becomes ISSUED.")
    public Mono<ShipmentResponse> ship(@PathVariable String tenantId, @PathVariable long shipmentId,
                                       @RequestBody ShipRequest body, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    String serial = OtpFields.serial(v, "serial", body.serial(), tenant.otp().normalizeFullWidthDigits());
                    Optional<LocalDate> startsOn = startDate(v, body.startsOn());
                    v.throwIfAny();
                    return new Ship(serial, startsOn);
                })
                .flatMap(ship -> shipping.ship(tenant, shipmentId, ship.serial(), ship.startsOn(),
                        caller.client().name()))
                .map(outcome -> shipment(Refusals.orThrow(outcome, tenant.timeZone()), tenant));
    }

    @PostMapping(path = "/unlocks", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "利用停止解除（窓口）", description = "R8: any user, MASTER users too; sharers included.")
    public Mono<ContractController.UnlockResponse> unlock(@PathVariable String tenantId,
                                                          @RequestBody OperatorUnlockRequest body,
                                                          ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    List<String> ids = OtpFields.loginIds(v, "loginIds", body.loginIds());
                    String staff = Identifiers.staffId(v, "staffId", body.staffId());
                    v.throwIfAny();
                    return Map.entry(ids, staff);
                })
                .flatMap(form -> unlocking.byOperator(tenant, form.getKey(), form.getValue(), caller.client().name()))
                .map(outcome -> LifecycleWeb.unlocked(outcome, tenant));
    }

    @GetMapping("/expiring-tokens")
    @Operation(summary = "有効期限の近いトークン", description = "R13: tokens in use expiring within `days` (default 90).")
    public Mono<List<ExpiringTokenResponse>> expiringTokens(@PathVariable String tenantId,
                                                            @RequestParam(defaultValue = "90") String days,
                                                            ServerWebExchange exchange) {
        TenantConfig tenant = Caller.of(exchange).tenant();
        return Mono.fromSupplier(() -> checkedDays(days))
                .flatMap(d -> expiring.within(tenant, d).map(t -> expiringToken(t, tenant)).collectList());
    }

    private record Ship(String serial, Optional<LocalDate> startsOn) {
    }

    /** A start date as YYYY-MM-DD; absent means the tenant's default (ShippingTokens checks the range). */
    static Optional<LocalDate> startDate(Validation v, String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
            try {
                return Optional.of(LocalDate.parse(value));
            } catch (java.time.format.DateTimeParseException e) {
                // reported below
            }
        }
        v.add(new FieldViolation("startsOn", FieldViolation.INVALID_FORMAT,
                "利用開始日はYYYY-MM-DD形式の日付で指定してください。"));
        return Optional.empty();
    }

    static int checkedDays(String days) {
        if (days.matches("[0-9]{1,4}")) {
            int d = Integer.parseInt(days);
            if (d >= 1 && d <= MAX_DAYS) {
                return d;
            }
        }
        Validation v = new Validation();
        v.add(new FieldViolation("days", FieldViolation.INVALID_VALUE, "日数は1〜" + MAX_DAYS + "の整数で指定してください。"));
        v.throwIfAny();
        return 0;
    }

    private static ShipmentResponse shipment(Shipments.Shipment s, TenantConfig tenant) {
        return new ShipmentResponse(s.id(), s.loginId(), s.contractId(), s.name(), TokenKind.HARDWARE.name(),
                s.channel().name(), s.reissue(), s.status().name(), ApiTime.format(s.requestedAt(), tenant.timeZone()),
                s.serial().orElse(null), s.shippedAt().map(at -> ApiTime.format(at, tenant.timeZone())).orElse(null),
                s.startsOn().map(Object::toString).orElse(null));
    }

    private static ExpiringTokenResponse expiringToken(Tokens.ExpiringToken t, TenantConfig tenant) {
        return new ExpiringTokenResponse(t.serial(), t.kind().name(), ApiTime.format(t.expiresAt(), tenant.timeZone()),
                t.contractId().orElse(null), t.users());
    }
}
