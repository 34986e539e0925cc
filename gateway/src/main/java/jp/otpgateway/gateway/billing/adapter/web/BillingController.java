package jp.otpgateway.gateway.billing.adapter.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.Charset;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Arrays;
import jp.otpgateway.gateway.billing.application.ClosingStatements;
import jp.otpgateway.gateway.billing.application.RecordingDebitAccounts;
import jp.otpgateway.gateway.billing.domain.DebitAccount;
import jp.otpgateway.gateway.billing.domain.ContractStatement;
import jp.otpgateway.gateway.billing.domain.FeeLine;
import jp.otpgateway.gateway.billing.domain.Statement;
import jp.otpgateway.gateway.shared.adapter.csv.CsvCharsets;
import jp.otpgateway.gateway.shared.adapter.csv.CsvExport;
import jp.otpgateway.gateway.shared.adapter.web.ApiTime;
import jp.otpgateway.gateway.shared.adapter.web.Refusals;
import jp.otpgateway.gateway.shared.domain.FieldViolation;
import jp.otpgateway.gateway.shared.domain.Identifiers;
import jp.otpgateway.gateway.shared.domain.Keyset;
import jp.otpgateway.gateway.shared.domain.Validation;
import jp.otpgateway.gateway.tenant.adapter.web.Caller;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The monthly fees (R15, operator role): a month's statement as JSON, paged by contract (a preview
 * while the month is open), as CSV for the debit (one line per contract, yen tax included), and the
 * closing on request.
 */
@RestController
@RequestMapping(path = "/v1/tenants/{tenantId}/operator/billing", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Billing", description = "手数料の月次明細・締め（operator）")
public class BillingController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** Pages by contract ID ({@link Keyset}). */
    static final String CURSOR = "c:";

    private final ClosingStatements statements;
    private final RecordingDebitAccounts accounts;

    public BillingController(ClosingStatements statements, RecordingDebitAccounts accounts) {
        this.statements = statements;
        this.accounts = accounts;
    }

    public record ClosingRequest(String staffId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LineResponse(String kind, long quantity, long unitPrice, long amount, String adjusts) {
    }

    public record ContractResponse(String contractId, int tokens, List<LineResponse> lines, long total) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatementResponse(String month, String status, String closedAt, int contractCount, int tokens,
                                    long total, List<ContractResponse> contracts, String nextCursor) {
    }

    @GetMapping("/{month}")
    @Operation(summary = "月次明細", description = "R15: per contract the tokens counted, the fee lines and the total "
            + "(yen, tax included), and the tenant's totals; an open month is a preview, a closed one the statement. "
            + "Paged by contract (`limit` 1–1000, default 100, `cursor` = the previous page's `nextCursor`). "
            + "Accept: text/csv gives one line per contract for the debit.")
    public Mono<StatementResponse> statement(@PathVariable String tenantId, @PathVariable String month,
                                             @RequestParam(required = false) String cursor,
                                             @RequestParam(required = false) String limit,
                                             ServerWebExchange exchange) {
        TenantConfig tenant = Caller.of(exchange).tenant();
        return Mono.fromSupplier(() -> page(month, cursor, limit))
                .flatMap(p -> statements.statement(tenant, p.month()).map(s -> response(s, p, tenant.timeZone())));
    }

    static final List<CsvExport.Column> COLUMNS = List.of(CsvExport.Column.text("month"),
            CsvExport.Column.text("contract_id"), CsvExport.Column.number("tokens"),
            CsvExport.Column.number("monthly_token_yen"), CsvExport.Column.number("reissue_yen"),
            CsvExport.Column.number("adjustment_yen"), CsvExport.Column.number("amount_yen"),
            CsvExport.Column.text("status"), CsvExport.Column.text("debit_branch"), CsvExport.Column.text("debit_type"),
            CsvExport.Column.text("debit_account"));

    /** For the credit union's debit processing: every contract of the month, its amount in yen (tax included). */
    @GetMapping(path = "/{month}", produces = "text/csv")
    public Mono<ResponseEntity<byte[]>> statementCsv(@PathVariable String tenantId, @PathVariable String month,
                                                     ServerWebExchange exchange) {
        TenantConfig tenant = Caller.of(exchange).tenant();
        Charset charset = CsvCharsets.accepted(exchange.getRequest().getHeaders().getAccept());
        return Mono.fromSupplier(() -> page(month, null, null).month())
                .flatMap(m -> Mono.zip(statements.statement(tenant, m), accounts.all(tenant)))
                .map(found -> {
                    Statement s = found.getT1();
                    CsvExport csv = new CsvExport(COLUMNS);
                    for (ContractStatement c : s.contracts()) {
                        Optional<DebitAccount> account = Optional.ofNullable(found.getT2().get(c.contractId()));
                        csv.row(Arrays.asList(s.month().month().toString(), c.contractId(), c.tokens(),
                                sum(c, FeeLine.Kind.MONTHLY_TOKEN), sum(c, FeeLine.Kind.REISSUE),
                                sum(c, FeeLine.Kind.ADJUSTMENT), c.total(), s.status().name(),
                                account.map(DebitAccount::branchCode).orElse(null),
                                account.map(a -> a.type().name()).orElse(null),
                                account.map(DebitAccount::accountNumber).orElse(null)));
                    }
                    return ResponseEntity.ok().contentType(CsvExport.mediaType(charset))
                            .header(HttpHeaders.CONTENT_DISPOSITION,
                                    "attachment; filename=\"billing-" + s.month().month() + ".csv\"")
                            .body(csv.bytes(charset));
                });
    }

    @PostMapping(path = "/{month}/closing", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "月次締め", description = "Closes the month now (before the monthly job on the tenant's "
            + "billingDay): the statement is kept as it is and never changes; closing again answers the same statement.")
    public Mono<StatementResponse> close(@PathVariable String tenantId, @PathVariable String month,
                                         @RequestBody ClosingRequest body, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        TenantConfig tenant = caller.tenant();
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    YearMonth m = month(v, month);
                    String staff = Identifiers.staffId(v, "staffId", body.staffId());
                    v.throwIfAny();
                    return new Closing(m, staff);
                })
                .flatMap(c -> statements.close(tenant, c.month(), c.staffId(), caller.client().name())
                        .map(outcome -> response(Refusals.orThrow(outcome, tenant.timeZone()),
                                new Page(c.month(), Optional.empty(), MAX_LIMIT), tenant.timeZone())));
    }

    private record Closing(YearMonth month, String staffId) {
    }

    private record Page(YearMonth month, Optional<String> afterContract, int limit) {
    }

    private static long sum(ContractStatement c, FeeLine.Kind kind) {
        return c.lines().stream().filter(l -> l.kind() == kind).mapToLong(FeeLine::amount).sum();
    }

    static YearMonth month(Validation v, String text) {
        if (text != null && text.matches("[0-9]{4}-[0-9]{2}")) {
            try {
                return YearMonth.parse(text);
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        v.add(new FieldViolation("month", FieldViolation.INVALID_FORMAT, "月はYYYY-MM形式で指定してください（例: 2026-11）。"));
        return null;
    }

    private static Page page(String month, String cursor, String limit) {
        Validation v = new Validation();
        YearMonth m = month(v, month);
        Optional<String> after = Keyset.after(v, CURSOR, cursor, Identifiers.CONTRACT_ID);
        int n = Keyset.limit(v, limit, DEFAULT_LIMIT, MAX_LIMIT);
        v.throwIfAny();
        return new Page(m, after, n);
    }

    private static StatementResponse response(Statement s, Page page, ZoneId zone) {
        List<ContractStatement> rest = s.contracts().stream()
                .filter(c -> page.afterContract().map(after -> c.contractId().compareTo(after) > 0).orElse(true))
                .toList();
        List<ContractStatement> items = rest.size() > page.limit() ? rest.subList(0, page.limit()) : rest;
        String next = rest.size() > page.limit() ? Keyset.encode(CURSOR, items.get(items.size() - 1).contractId()) : null;
        return new StatementResponse(s.month().month().toString(), s.status().name(),
                s.closedAt().map(at -> ApiTime.format(at, zone)).orElse(null), s.contracts().size(), s.tokens(),
                s.total(), items.stream().map(BillingController::contract).toList(), next);
    }

    private static ContractResponse contract(ContractStatement c) {
        return new ContractResponse(c.contractId(), c.tokens(), c.lines().stream()
                .map(l -> new LineResponse(l.kind().name(), l.quantity(), l.unitPrice(), l.amount(),
                        l.adjusts().map(YearMonth::toString).orElse(null))).toList(), c.total());
    }
}
