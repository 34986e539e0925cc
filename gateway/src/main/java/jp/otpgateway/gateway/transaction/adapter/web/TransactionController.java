package jp.otpgateway.gateway.transaction.adapter.web;

import jp.otpgateway.gateway.shared.adapter.web.ApiException;
import jp.otpgateway.gateway.shared.adapter.web.ErrorCode;
import jp.otpgateway.gateway.shared.adapter.web.Problem;
import jp.otpgateway.gateway.shared.adapter.web.Refusals;
import jp.otpgateway.gateway.shared.adapter.web.RequestKeys;
import jp.otpgateway.gateway.tenant.adapter.web.Caller;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import java.util.regex.Pattern;
import jp.otpgateway.gateway.transaction.application.AuthorizingTransaction;
import jp.otpgateway.gateway.transaction.application.CancellingTransaction;
import jp.otpgateway.gateway.transaction.domain.TransactionAmount;
import jp.otpgateway.gateway.transaction.domain.TransactionCommand;
import jp.otpgateway.tenant.model.TenantConfig;
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
import tools.jackson.databind.JsonNode;

/** What a portal asks before it executes a banking operation (R9, R10; portal role). */
@RestController
@RequestMapping(path = "/v1/tenants/{tenantId}/transactions", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Transactions", description = "取引の認可: OTP の要否、OTP 未利用者の1日の振込限度額（portal）")
public class TransactionController {

    private static final Pattern TRANSACTION_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final AuthorizingTransaction authorizing;
    private final CancellingTransaction cancelling;

    public TransactionController(AuthorizingTransaction authorizing, CancellingTransaction cancelling) {
        this.authorizing = authorizing;
        this.cancelling = cancelling;
    }

    /** {@code amount} and {@code payeeRegistered} are read as written, so that 1.0, 1e5 and "100" can be refused. */
    public record TransactionRequest(
            String loginId,
            String type,
            @Schema(implementation = Long.class, description = "円単位の整数 1 … 10^13（資金移動以外は省略可）")
            JsonNode amount,
            @Schema(implementation = Boolean.class, description = "登録済み振込先（省略時 false）") JsonNode payeeRegistered,
            String otp) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TransactionResponse(String transactionId, String decision, boolean otpVerified,
                                      Problem.LimitView limit) {
    }

    public record CancellationResponse(String transactionId, String status) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "取引の認可",
            description = "R9/R10: 428 OTP_REQUIRED, OTP verification as …/otp/verification, or the daily fallback "
                    + "limit for users without an active OTP (422 LIMIT_EXCEEDED with `limit`); 423 when locked.")
    public Mono<TransactionResponse> authorize(@PathVariable String tenantId, @RequestBody TransactionRequest body,
                                               ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> TransactionCommand.of(tenant, body.loginId(), body.type(), amount(body.amount()),
                        flag(body.payeeRegistered()), body.otp(), caller.client().name())
                        .withRequestKey(RequestKeys.of(exchange)))
                .flatMap(command -> authorizing.authorize(tenant, command))
                .map(outcome -> {
                    AuthorizingTransaction.Approved approved = Refusals.orThrow(outcome, tenant.timeZone());
                    return new TransactionResponse(approved.transactionId().toString(), "APPROVED",
                            approved.otpVerified(), approved.limit().map(Problem.LimitView::of).orElse(null));
                });
    }

    @PostMapping("/{transactionId}/cancellation")
    @Operation(summary = "取引の取消", description = "R10: a charged amount goes back to its day's limit; "
            + "a second cancellation answers the same and changes nothing.")
    public Mono<CancellationResponse> cancel(@PathVariable String tenantId, @PathVariable String transactionId,
                                             ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        if (!TRANSACTION_ID.matcher(transactionId).matches()) {
            return Mono.error(new ApiException(ErrorCode.TRANSACTION_NOT_FOUND, "no such transaction"));
        }
        return cancelling.cancel(tenant, UUID.fromString(transactionId), caller.client().name())
                .map(outcome -> new CancellationResponse(Refusals.orThrow(outcome, tenant.timeZone()).toString(),
                        "CANCELLED"));
    }

    static TransactionAmount.Raw amount(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return TransactionAmount.Raw.absent();
        }
        if (node.isIntegralNumber()) {
            return TransactionAmount.Raw.integer(node.bigIntegerValue());
        }
        return new TransactionAmount.Raw(node.isNumber() ? TransactionAmount.Kind.NOT_INTEGER
                : TransactionAmount.Kind.NOT_A_NUMBER, null);
    }

    static TransactionCommand.Flag flag(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return TransactionCommand.Flag.ABSENT;
        }
        if (!node.isBoolean()) {
            return TransactionCommand.Flag.NOT_A_BOOLEAN;
        }
        return node.booleanValue() ? TransactionCommand.Flag.TRUE : TransactionCommand.Flag.FALSE;
    }
}
