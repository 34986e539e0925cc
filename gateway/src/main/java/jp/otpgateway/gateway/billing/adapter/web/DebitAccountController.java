package jp.otpgateway.gateway.billing.adapter.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jp.otpgateway.gateway.billing.application.RecordingDebitAccounts;
import jp.otpgateway.gateway.billing.domain.DebitAccount;
import jp.otpgateway.gateway.shared.adapter.web.Refusals;
import jp.otpgateway.gateway.shared.domain.Identifiers;
import jp.otpgateway.gateway.shared.domain.Validation;
import jp.otpgateway.gateway.tenant.adapter.web.Caller;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** The contract's representative account for the debit of its fees (代表口座, operator role). */
@RestController
@RequestMapping(path = "/v1/tenants/{tenantId}/operator/contracts", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Billing", description = "手数料の月次明細・締め（operator）")
public class DebitAccountController {

    private final RecordingDebitAccounts accounts;

    public DebitAccountController(RecordingDebitAccounts accounts) {
        this.accounts = accounts;
    }

    /** {@code accountNumber} is never logged; {@link #toString()} masks it. */
    public record DebitAccountRequest(String branchCode, String accountType, String accountNumber, String staffId) {

        @Override
        public String toString() {
            return "DebitAccountRequest[branchCode=" + branchCode + ", accountType=" + accountType
                    + ", accountNumber=***, staffId=" + staffId + "]";
        }
    }

    /** The account as answered: the number masked to its last three digits. */
    public record DebitAccountResponse(String contractId, String branchCode, String accountType, String accountNumber) {
    }

    @PutMapping(path = "/{contractId}/debit-account", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "代表口座の登録", description = "R15: where the contract's fees are debited (002: 代表口座より引落): "
            + "branchCode (店番, 3 digits), accountType ORDINARY|CHECKING, accountNumber (7 digits). Answered masked; "
            + "the billing CSV carries it for the debit.")
    public Mono<DebitAccountResponse> set(@PathVariable String tenantId, @PathVariable String contractId,
                                          @RequestBody DebitAccountRequest body, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    String contract = Identifiers.contractId(v, "contractId", contractId);
                    DebitAccount account = DebitAccount.read(v, body.branchCode(), body.accountType(), body.accountNumber());
                    String staff = Identifiers.staffId(v, "staffId", body.staffId());
                    v.throwIfAny();
                    return new Form(contract, account, staff);
                })
                .flatMap(f -> accounts.set(tenant, f.contractId(), f.account(), f.staffId(), caller.client().name())
                        .map(outcome -> {
                            DebitAccount a = Refusals.orThrow(outcome, tenant.timeZone());
                            return new DebitAccountResponse(f.contractId(), a.branchCode(), a.type().name(),
                                    a.maskedNumber());
                        }));
    }

    private record Form(String contractId, DebitAccount account, String staffId) {
    }
}
