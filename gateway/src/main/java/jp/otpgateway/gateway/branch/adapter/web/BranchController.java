package jp.otpgateway.gateway.branch.adapter.web;

import jp.otpgateway.gateway.audit.domain.AuditLabels;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.branch.application.LookingUp;
import jp.otpgateway.gateway.branch.application.ReissuingAfterLoss;
import jp.otpgateway.gateway.branch.domain.Cursor;
import jp.otpgateway.gateway.branch.domain.TokenStock;
import jp.otpgateway.gateway.lifecycle.application.DeactivatingToken;
import jp.otpgateway.gateway.lifecycle.application.RevokingTokens;
import jp.otpgateway.gateway.lifecycle.application.SuspendingToken;
import jp.otpgateway.gateway.lifecycle.domain.Holding;
import jp.otpgateway.gateway.lifecycle.domain.LossReason;
import jp.otpgateway.gateway.lifecycle.domain.OtpStatus;
import jp.otpgateway.gateway.shared.adapter.web.ApiException;
import jp.otpgateway.gateway.shared.adapter.web.ApiTime;
import jp.otpgateway.gateway.shared.adapter.web.ErrorCode;
import jp.otpgateway.gateway.shared.adapter.web.Refusals;
import jp.otpgateway.gateway.shared.domain.FieldViolation;
import jp.otpgateway.gateway.shared.domain.Identifiers;
import jp.otpgateway.gateway.shared.domain.Keyset;
import jp.otpgateway.gateway.shared.domain.Validation;
import jp.otpgateway.gateway.tenant.adapter.web.Caller;
import jp.otpgateway.gateway.verification.domain.OtpFields;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
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

/**
 * The branch's screen and paper forms (operator role, docs/api.md "Branch operations"): lookups of a
 * user and a serial, the token lists, a loss or damage report, the reissue after it, and revocation
 * and deactivation on a user's behalf. Every POST names the clerk ({@code staffId}) for the audit.
 */
@RestController
@RequestMapping(path = "/v1/tenants/{tenantId}/operator", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Branch", description = "お取引店での照会・紛失／破損届・再発行・代理の失効／利用解除（operator）")
public class BranchController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private final LookingUp lookingUp;
    private final SuspendingToken suspending;
    private final ReissuingAfterLoss reissuing;
    private final DeactivatingToken deactivating;
    private final RevokingTokens revoking;
    private final Clock clock;

    public BranchController(LookingUp lookingUp, SuspendingToken suspending, ReissuingAfterLoss reissuing,
                            DeactivatingToken deactivating, RevokingTokens revoking, Clock clock) {
        this.lookingUp = lookingUp;
        this.suspending = suspending;
        this.reissuing = reissuing;
        this.deactivating = deactivating;
        this.revoking = revoking;
        this.clock = clock;
    }

    public record SuspensionRequest(String reason, String staffId) {
    }

    public record StaffRequest(String staffId) {
    }

    public record ReissueRequest(String loginId, String staffId) {
    }

    public record SuspendedUser(String loginId, String serial, String status) {
    }

    public record SuspensionResponse(List<SuspendedUser> suspended) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReissueResponse(String status, String kind, long shipmentId, boolean reissue, String lostSerial) {
    }

    public record BranchDeactivationResponse(String status) {
    }

    public record RevokedUser(String loginId, String serial, String status) {
    }

    public record BranchRevocationResponse(List<RevokedUser> revoked, String issuanceAvailableAt) {
    }

    /** The labels are the audit's Japanese words for the codes (as in the audit API), where it has them. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attempt(String at, String operation, String operationLabel, String outcome, String outcomeLabel) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PendingResponse(String kind, String status, boolean reissue, String requestedAt, Long shipmentId,
                                  String serial, String startsOn) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BranchUserResponse(String loginId, String contractId, String name, String role, String status,
                               String statusLabel, String kind, String serial, String expiresAt,
                               List<String> sharedWith, PendingResponse pending, boolean locked, int failures,
                               String activationRequiredFrom, Boolean activationRequired, Integer driftSteps,
                               List<Attempt> recentAttempts) {
    }

    public record HolderResponse(String loginId, String contractId, String status, String statusLabel) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenResponse(String serial, String kind, String state, String stateLabel, String contractId,
                                List<HolderResponse> holders, boolean locked, int failures, String expiresAt,
                                String retiredAt, String suspendedAt, String suspensionReason, int driftSteps) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenPage(List<TokenResponse> items, String nextCursor) {
    }

    @GetMapping("/users/{loginId}")
    @Operation(summary = "利用者の照会（窓口）", description = "Status with its Japanese label, token, contract, sharers, "
            + "pending issuance, lock, failures, the token's learned clock drift (driftSteps) and the latest audit "
            + "events of the user.")
    public Mono<BranchUserResponse> user(@PathVariable String tenantId, @PathVariable String loginId,
                                   ServerWebExchange exchange) {
        TenantConfig tenant = Caller.of(exchange).tenant();
        return Mono.fromSupplier(() -> checked(v -> Identifiers.loginId(v, "loginId", loginId)))
                .flatMap(login -> lookingUp.user(tenant, login))
                .switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.USER_NOT_FOUND, "no such user")))
                .map(view -> userResponse(view, tenant.timeZone()));
    }

    @GetMapping("/tokens/{serial}")
    @Operation(summary = "トークンの照会（窓口）", description = "State (IN_STOCK, SHIPPED, ACTIVE, SUSPENDED, RETIRED) "
            + "with its Japanese label, holders with their status, lock, failures, expiry, learned clock drift "
            + "(driftSteps, in time steps).")
    public Mono<TokenResponse> token(@PathVariable String tenantId, @PathVariable String serial,
                                     ServerWebExchange exchange) {
        TenantConfig tenant = Caller.of(exchange).tenant();
        return Mono.fromSupplier(() -> checked(v -> OtpFields.serial(v, "serial", serial,
                        tenant.otp().normalizeFullWidthDigits())))
                .flatMap(s -> lookingUp.token(tenant, s))
                .switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.TOKEN_NOT_FOUND, "no such serial")))
                .map(token -> tokenResponse(token, tenant.timeZone(), clock.instant()));
    }

    @GetMapping("/tokens")
    @Operation(summary = "トークン一覧（在庫・停止中・紛失／破損）", description = "state=IN_STOCK|LOCKED|SUSPENDED, "
            + "by serial, `limit` 1–200 (default 50); `nextCursor` while more follow. Rows added while paging "
            + "never appear twice and never push an existing row out.")
    public Mono<TokenPage> tokens(@PathVariable String tenantId, @RequestParam(required = false) String state,
                                  @RequestParam(required = false) String cursor,
                                  @RequestParam(required = false) String limit, ServerWebExchange exchange) {
        TenantConfig tenant = Caller.of(exchange).tenant();
        return Mono.fromSupplier(() -> listRequest(state, cursor, limit))
                .flatMap(r -> lookingUp.page(tenant, r.listing(), r.after(), r.limit()))
                .map(page -> {
                    Instant now = clock.instant();
                    return new TokenPage(page.items().stream().map(t -> tokenResponse(t, tenant.timeZone(), now)).toList(),
                            page.next().map(Cursor::encoded).orElse(null));
                });
    }

    @PostMapping(path = "/tokens/{serial}/suspension", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "紛失・破損届（利用停止）", description = "Suspends the hardware token at once for every holder: "
            + "every OTP operation and transaction answers 423 TOKEN_SUSPENDED until a reissued token is activated "
            + "or the branch deactivates; the token is retired; each holder gets a mail.")
    public Mono<SuspensionResponse> suspend(@PathVariable String tenantId, @PathVariable String serial,
                                            @RequestBody SuspensionRequest body, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    String s = OtpFields.serial(v, "serial", serial, tenant.otp().normalizeFullWidthDigits());
                    LossReason reason = v.oneOf("reason", "届出理由", body.reason(),
                            text -> Arrays.stream(LossReason.values()).filter(r -> r.name().equals(text)).findFirst(),
                            "LOST, BROKEN");
                    String staff = Identifiers.staffId(v, "staffId", body.staffId());
                    v.throwIfAny();
                    return new SuspendingToken.Command(s, reason, staff, caller.client().name());
                })
                .flatMap(command -> suspending.suspend(tenant, command))
                .map(outcome -> new SuspensionResponse(Refusals.orThrow(outcome, tenant.timeZone()).stream()
                        .map(u -> new SuspendedUser(u.loginId(), u.serial(), u.status().name())).toList()));
    }

    @PostMapping(path = "/reissues", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "再発行（紛失・破損）", description = "A new hardware token for a suspended user, shipped like "
            + "any other (POST …/shipments/{id}); the reissue fee is recorded (R15). Activating it ends the suspension "
            + "for this user.")
    public Mono<ReissueResponse> reissue(@PathVariable String tenantId, @RequestBody ReissueRequest body,
                                         ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    String login = Identifiers.loginId(v, "loginId", body.loginId());
                    String staff = Identifiers.staffId(v, "staffId", body.staffId());
                    v.throwIfAny();
                    return new ReissuingAfterLoss.Command(login, staff, caller.client().name());
                })
                .flatMap(command -> reissuing.reissue(tenant, command))
                .map(outcome -> {
                    ReissuingAfterLoss.Reissued r = Refusals.orThrow(outcome, tenant.timeZone());
                    return new ReissueResponse("ISSUED", "HARDWARE", r.shipmentId(), true, r.lostSerial());
                });
    }

    @PostMapping(path = "/users/{loginId}/otp/deactivation", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "利用解除（窓口・代理）", description = "Deactivates the user's token without a code, also where "
            + "deactivationRequiresOtp is true and after a loss report; a locked token is unlocked first (R7).")
    public Mono<BranchDeactivationResponse> deactivate(@PathVariable String tenantId, @PathVariable String loginId,
                                                 @RequestBody StaffRequest body, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> staffForm(loginId, body))
                .flatMap(form -> deactivating.byBranch(tenant, form.loginId(), form.staffId(), caller.client().name()))
                .map(outcome -> new BranchDeactivationResponse(Refusals.orThrow(outcome, tenant.timeZone()).name()));
    }

    @PostMapping(path = "/users/{loginId}/otp/revocation", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "失効（窓口・代理）", description = "R12 without a code: the user's active token is revoked; "
            + "a new issuance waits for the cool-down.")
    public Mono<BranchRevocationResponse> revoke(@PathVariable String tenantId, @PathVariable String loginId,
                                           @RequestBody StaffRequest body, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> staffForm(loginId, body))
                .flatMap(form -> revoking.byBranch(tenant, form.loginId(), form.staffId(), caller.client().name()))
                .map(outcome -> {
                    RevokingTokens.Result r = Refusals.orThrow(outcome, tenant.timeZone());
                    return new BranchRevocationResponse(r.revoked().stream()
                            .map(x -> new RevokedUser(x.loginId(), x.serial(), x.status().name())).toList(),
                            ApiTime.format(r.issuanceAvailableAt(), tenant.timeZone()));
                });
    }

    private record StaffForm(String loginId, String staffId) {
    }

    private static StaffForm staffForm(String loginId, StaffRequest body) {
        Validation v = new Validation();
        String login = Identifiers.loginId(v, "loginId", loginId);
        String staff = Identifiers.staffId(v, "staffId", body.staffId());
        v.throwIfAny();
        return new StaffForm(login, staff);
    }

    private record ListRequest(TokenStock.Listing listing, Optional<Cursor> after, int limit) {
    }

    static ListRequest listRequest(String state, String cursor, String limit) {
        Validation v = new Validation();
        TokenStock.Listing listing = v.oneOf("state", "一覧の種類", state,
                text -> Arrays.stream(TokenStock.Listing.values()).filter(l -> l.name().equals(text)).findFirst(),
                "IN_STOCK, LOCKED, SUSPENDED");
        Optional<Cursor> after = Cursor.read(v, cursor);
        int n = Keyset.limit(v, limit, DEFAULT_LIMIT, MAX_LIMIT);
        v.throwIfAny();
        return new ListRequest(listing, after, n);
    }

    private static <T> T checked(java.util.function.Function<Validation, T> read) {
        Validation v = new Validation();
        T value = read.apply(v);
        v.throwIfAny();
        return value;
    }

    private static BranchUserResponse userResponse(LookingUp.UserView view, ZoneId zone) {
        var state = view.state();
        Optional<Holding> h = state.holding();
        OtpStatus status = view.status();
        PendingResponse pending = state.pending().map(p -> new PendingResponse(p.kind().name(), p.status().name(),
                p.reissue(), ApiTime.format(p.requestedAt(), zone),
                p.setupIds().isPresent() ? null : p.shipmentId(), p.serial().orElse(null),
                p.startsOn().map(Object::toString).orElse(null))).orElse(null);
        return new BranchUserResponse(state.user().loginId(), state.user().contractId(), state.user().name(),
                state.user().role().name(), status.name(), status.label(), h.map(x -> x.kind().name()).orElse(null),
                h.map(Holding::serial).orElse(null), h.map(x -> ApiTime.format(x.expiresAt(), zone)).orElse(null),
                state.sharedWith(), pending, h.map(Holding::locked).orElse(false),
                view.token().map(TokenStock::failures).orElse(0),
                view.activationRequiredFrom().map(at -> ApiTime.format(at, zone)).orElse(null),
                view.activationRequiredFrom().isPresent() ? view.activationRequired() : null,
                view.token().map(TokenStock::driftSteps).orElse(null),
                view.recent().stream().map(e -> new Attempt(ApiTime.format(e.at(), zone), e.operation(),
                        AuditLabels.operation(e.operation()).orElse(null), e.outcome(), AuditLabels.outcome(e.outcome()).orElse(null)))
                        .toList());
    }

    private static TokenResponse tokenResponse(TokenStock token, ZoneId zone, Instant now) {
        TokenStock.State state = token.state();
        return new TokenResponse(token.serial(), token.kind().name(), state.name(), state.label(),
                token.contractId().orElse(null),
                token.holders().stream().map(holder -> {
                    OtpStatus s = token.statusOf(holder, now);
                    return new HolderResponse(holder.loginId(), holder.contractId(), s.name(), s.label());
                }).toList(),
                token.locked(), token.failures(), ApiTime.format(token.expiresAt(), zone),
                token.retiredAt().map(at -> ApiTime.format(at, zone)).orElse(null),
                token.suspendedAt().map(at -> ApiTime.format(at, zone)).orElse(null),
                token.suspension().map(Enum::name).orElse(null), token.driftSteps());
    }
}
