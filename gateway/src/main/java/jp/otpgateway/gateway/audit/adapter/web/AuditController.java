package jp.otpgateway.gateway.audit.adapter.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.Charset;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import jp.otpgateway.gateway.audit.application.port.AuditTrail;
import jp.otpgateway.gateway.audit.application.SealingAudit;
import jp.otpgateway.gateway.audit.domain.AuditChain;
import jp.otpgateway.gateway.audit.domain.AuditLabels;
import jp.otpgateway.gateway.audit.domain.AuditRow;
import jp.otpgateway.gateway.shared.adapter.csv.CsvCharsets;
import jp.otpgateway.gateway.shared.adapter.csv.CsvExport;
import jp.otpgateway.gateway.shared.adapter.web.ApiTime;
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
 * The audit trail for the credit union's examiners (operator role): the events by user, serial,
 * contract, operation, outcome and time, newest first, paged by event id (stable while events are
 * added); as CSV; and the verification of the sealed chain. Never a code, a seed or a password: the
 * events hold none.
 */
@RestController
@RequestMapping(path = "/v1/tenants/{tenantId}/operator/audit", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Audit", description = "監査ログの照会・改ざん検証（operator）")
public class AuditController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final int CSV_MAX = 100_000;
    static final String CURSOR = "e:";
    static final Pattern ID = Pattern.compile("[0-9]{1,18}");
    static final Pattern CODE = Pattern.compile("[A-Z0-9_-]{1,40}");
    static final Pattern SERIAL = Pattern.compile("[0-9]{8,12}");

    private final AuditTrail trail;
    private final SealingAudit sealing;

    public AuditController(AuditTrail trail, SealingAudit sealing) {
        this.trail = trail;
        this.sealing = sealing;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventResponse(long id, String at, String loginId, String serial, String contractId, String operation,
                                String operationLabel, String outcome, String outcomeLabel, String client,
                                String staffId, String actor, String subject) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventPage(List<EventResponse> items, String nextCursor) {
    }

    public record ChainVerificationRequest(String from, String to) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ChainVerificationResponse(long verifiedRows, long verifiedBlocks, long unsealedRows, boolean intact,
                                       Long firstBadBlock, String reason) {
    }

    @GetMapping
    @Operation(summary = "監査ログ照会", description = "Filters: loginId, serial, contractId (its users' events and its "
            + "own), operation, outcome, from/to (ISO-8601 with offset, to exclusive). Newest first; `limit` 1–1000 "
            + "(100); `nextCursor` while more follow. Accept: text/csv gives the same events (at most 100,000).")
    public Mono<EventPage> events(@PathVariable String tenantId, @RequestParam(required = false) String loginId,
                                  @RequestParam(required = false) String serial,
                                  @RequestParam(required = false) String contractId,
                                  @RequestParam(required = false) String operation,
                                  @RequestParam(required = false) String outcome,
                                  @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                  @RequestParam(required = false) String cursor,
                                  @RequestParam(required = false) String limit, ServerWebExchange exchange) {
        TenantConfig tenant = Caller.of(exchange).tenant();
        return Mono.fromSupplier(() -> query(loginId, serial, contractId, operation, outcome, from, to, cursor, limit,
                        DEFAULT_LIMIT, MAX_LIMIT))
                .flatMap(q -> trail.query(tenant.id(), q.filter(), q.before(), q.limit() + 1).collectList()
                        .map(rows -> {
                            List<AuditRow> items = rows.size() > q.limit() ? rows.subList(0, q.limit()) : rows;
                            String next = rows.size() > q.limit()
                                    ? Keyset.encode(CURSOR, Long.toString(items.get(items.size() - 1).id())) : null;
                            return new EventPage(items.stream().map(r -> event(r, tenant.timeZone())).toList(), next);
                        }));
    }

    static final List<CsvExport.Column> COLUMNS = List.of(CsvExport.Column.number("id"), CsvExport.Column.text("at"),
            CsvExport.Column.text("login_id"), CsvExport.Column.text("serial"), CsvExport.Column.text("contract_id"),
            CsvExport.Column.text("operation"), CsvExport.Column.text("operation_label"),
            CsvExport.Column.text("outcome"), CsvExport.Column.text("outcome_label"), CsvExport.Column.text("client"),
            CsvExport.Column.text("staff_id"), CsvExport.Column.text("actor"), CsvExport.Column.text("subject"));

    @GetMapping(produces = "text/csv")
    public Mono<ResponseEntity<byte[]>> eventsCsv(@PathVariable String tenantId, @RequestParam(required = false) String loginId,
                                                  @RequestParam(required = false) String serial,
                                                  @RequestParam(required = false) String contractId,
                                                  @RequestParam(required = false) String operation,
                                                  @RequestParam(required = false) String outcome,
                                                  @RequestParam(required = false) String from,
                                                  @RequestParam(required = false) String to,
                                                  ServerWebExchange exchange) {
        TenantConfig tenant = Caller.of(exchange).tenant();
        Charset charset = CsvCharsets.accepted(exchange.getRequest().getHeaders().getAccept());
        return Mono.fromSupplier(() -> query(loginId, serial, contractId, operation, outcome, from, to, null, null,
                        CSV_MAX, CSV_MAX))
                .flatMap(q -> trail.query(tenant.id(), q.filter(), Optional.empty(), CSV_MAX).collectList())
                .map(rows -> {
                    CsvExport csv = new CsvExport(COLUMNS);
                    rows.forEach(r -> {
                        EventResponse e = event(r, tenant.timeZone());
                        csv.row(Arrays.asList(e.id(), e.at(), e.loginId(), e.serial(), e.contractId(), e.operation(),
                                e.operationLabel(), e.outcome(), e.outcomeLabel(), e.client(), e.staffId(), e.actor(), e.subject()));
                    });
                    return ResponseEntity.ok().contentType(CsvExport.mediaType(charset))
                            .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit.csv\"")
                            .body(csv.bytes(charset));
                });
    }

    @PostMapping(path = "/verification", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "監査ログの改ざん検証", description = "Walks the tenant's sealed chain (every block's MAC and link) "
            + "and checks the rows of the blocks within from/to (all when absent): intact, or the first bad block and why. "
            + "Events newer than the last seal are counted as unsealedRows.")
    public Mono<ChainVerificationResponse> verify(@PathVariable String tenantId, @RequestBody ChainVerificationRequest body,
                                             ServerWebExchange exchange) {
        TenantConfig tenant = Caller.of(exchange).tenant();
        return Mono.fromSupplier(() -> {
                    Validation v = new Validation();
                    Optional<Instant> f = instant(v, "from", body.from());
                    Optional<Instant> t = instant(v, "to", body.to());
                    v.throwIfAny();
                    return new Range(f, t);
                })
                .flatMap(r -> sealing.verify(tenant, r.from(), r.to()))
                .map(AuditController::verification);
    }

    private record Range(Optional<Instant> from, Optional<Instant> to) {
    }

    private record Query(AuditTrail.Filter filter, Optional<Long> before, int limit) {
    }

    static Query query(String loginId, String serial, String contractId, String operation, String outcome, String from,
                       String to, String cursor, String limit, int fallback, int max) {
        Validation v = new Validation();
        Optional<String> login = Optional.ofNullable(loginId).map(l -> Identifiers.loginId(v, "loginId", l));
        Optional<String> s = Optional.ofNullable(serial).map(x -> v.matching("serial", "シリアル番号", x, SERIAL, "半角数字8〜12桁"));
        Optional<String> contract = Optional.ofNullable(contractId).map(c -> Identifiers.contractId(v, "contractId", c));
        Optional<String> op = Optional.ofNullable(operation).map(x -> v.matching("operation", "操作", x, CODE, "英大文字・数字・_"));
        Optional<String> out = Optional.ofNullable(outcome).map(x -> v.matching("outcome", "結果", x, CODE, "英大文字・数字・_"));
        Optional<Instant> f = instant(v, "from", from);
        Optional<Instant> t = instant(v, "to", to);
        Optional<Long> before = Keyset.after(v, CURSOR, cursor, ID).map(Long::parseLong);
        int n = Keyset.limit(v, limit, fallback, max);
        v.throwIfAny();
        return new Query(new AuditTrail.Filter(login, s, contract, op, out, f, t), before, n);
    }

    static Optional<Instant> instant(Validation v, String field, String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            v.add(new FieldViolation(field, FieldViolation.INVALID_FORMAT,
                    "日時はオフセット付きのISO-8601形式で指定してください（例: 2026-12-01T00:00:00+09:00）。"));
            return Optional.empty();
        }
    }

    private static EventResponse event(AuditRow r, ZoneId zone) {
        return new EventResponse(r.id(), ApiTime.format(r.at(), zone), r.loginId().orElse(null), r.serial().orElse(null),
                r.contractId().orElse(null), r.operation(), AuditLabels.operation(r.operation()).orElse(null),
                r.outcome(), AuditLabels.outcome(r.outcome()).orElse(null), r.client(), r.staffId().orElse(null),
                r.actor().orElse(null), r.subject().orElse(null));
    }

    private static ChainVerificationResponse verification(AuditChain.Verdict v) {
        return new ChainVerificationResponse(v.verifiedRows(), v.verifiedBlocks(), v.unsealedRows(), v.intact(),
                v.firstBadBlock().orElse(null), v.reason().orElse(null));
    }
}
