package jp.otpgateway.gateway.billing.adapter.persistence;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.otpgateway.gateway.billing.application.port.Statements;
import jp.otpgateway.gateway.billing.domain.BillingMonth;
import jp.otpgateway.gateway.billing.domain.ContractStatement;
import jp.otpgateway.gateway.billing.domain.FeeLine;
import jp.otpgateway.gateway.billing.domain.Statement;
import jp.otpgateway.gateway.shared.adapter.persistence.Rows;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
public class R2dbcStatements implements Statements {

    private static final String HEAD = """
            SELECT closed_at FROM billing_statements WHERE tenant_id = :tenant AND month = :month
            """;

    private static final String BODY = """
            SELECT c.contract_id, c.tokens, l.line_no, l.kind, l.quantity, l.unit_price, l.amount, l.adjusts
              FROM billing_statement_contracts c
              LEFT JOIN billing_statement_lines l
                     ON l.tenant_id = c.tenant_id AND l.month = c.month AND l.contract_id = c.contract_id
             WHERE c.tenant_id = :tenant AND c.month = :month
             ORDER BY c.contract_id, l.line_no
            """;

    /* A transaction-scoped advisory lock per tenant and month: released at commit, rollback or disconnect. */
    private static final String LEASE = """
            SELECT 1 AS leased FROM (SELECT pg_advisory_xact_lock(hashtextextended(
                   'otp-billing ' || :tenant || ' ' || :month, 0))) l
            """;

    private static final String SAVE_HEAD = """
            INSERT INTO billing_statements (tenant_id, month, closed_at, closed_by, client, contracts, tokens, total)
            VALUES (:tenant, :month, :closedAt, :closedBy, :client, :contracts, :tokens, :total)
            """;

    private static final String SAVE_CONTRACTS = """
            INSERT INTO billing_statement_contracts (tenant_id, month, contract_id, tokens, total)
            SELECT :tenant, :month, c.contract, c.tokens::integer, c.total::bigint
              FROM unnest(CAST(:contracts AS text[]), CAST(:tokens AS text[]), CAST(:totals AS text[]))
                   AS c(contract, tokens, total)
            """;

    private static final String SAVE_LINES = """
            INSERT INTO billing_statement_lines (tenant_id, month, contract_id, line_no, kind, quantity, unit_price,
                                                 amount, adjusts)
            SELECT :tenant, :month, l.contract, l.no::smallint, l.kind, l.quantity::bigint, l.price::bigint,
                   l.amount::bigint, l.adjusts
              FROM unnest(CAST(:contracts AS text[]), CAST(:nos AS text[]), CAST(:kinds AS text[]),
                          CAST(:quantities AS text[]), CAST(:prices AS text[]), CAST(:amounts AS text[]),
                          CAST(:adjusts AS text[]))
                   AS l(contract, no, kind, quantity, price, amount, adjusts)
            """;

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcStatements(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    @Override
    public Mono<Statement> closed(String tenantId, BillingMonth month) {
        String m = month.month().toString();
        return stores.postgres(db.sql(HEAD).bind("tenant", tenantId).bind("month", m)
                        .map(row -> Rows.instant(row, "closed_at")).one())
                .flatMap(closedAt -> stores.postgres(db.sql(BODY).bind("tenant", tenantId).bind("month", m)
                                .map(row -> new BodyRow(row.get("contract_id", String.class), Rows.integer(row, "tokens"),
                                        Optional.ofNullable(row.get("kind", String.class)).map(kind -> new FeeLine(
                                                FeeLine.Kind.valueOf(kind), Rows.number(row, "quantity"),
                                                Rows.number(row, "unit_price"), Rows.number(row, "amount"),
                                                Rows.optionalText(row, "adjusts").map(YearMonth::parse)))))
                                .all())
                        .collectList()
                        .map(rows -> new Statement(month, Statement.Status.CLOSED, Optional.of(closedAt), contracts(rows))));
    }

    private record BodyRow(String contractId, int tokens, Optional<FeeLine> line) {
    }

    private static List<ContractStatement> contracts(List<BodyRow> rows) {
        Map<String, List<FeeLine>> lines = new LinkedHashMap<>();
        Map<String, Integer> tokens = new LinkedHashMap<>();
        for (BodyRow r : rows) {
            tokens.put(r.contractId(), r.tokens());
            List<FeeLine> own = lines.computeIfAbsent(r.contractId(), c -> new ArrayList<>());
            r.line().ifPresent(own::add);
        }
        List<ContractStatement> out = new ArrayList<>();
        tokens.forEach((contract, n) -> out.add(new ContractStatement(contract, n, lines.get(contract))));
        return out;
    }

    @Override
    public Mono<Void> lease(String tenantId, BillingMonth month) {
        return stores.postgres(db.sql(LEASE).bind("tenant", tenantId).bind("month", month.month().toString())
                .map(row -> 1).one()).then();
    }

    @Override
    public Mono<Void> save(String tenantId, Statement statement, String closedBy, String client) {
        String m = statement.month().month().toString();
        List<ContractStatement> cs = statement.contracts();
        List<String> lineContracts = new ArrayList<>();
        List<String> nos = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        List<String> quantities = new ArrayList<>();
        List<String> prices = new ArrayList<>();
        List<String> amounts = new ArrayList<>();
        List<String> adjusts = new ArrayList<>();
        for (ContractStatement c : cs) {
            for (int i = 0; i < c.lines().size(); i++) {
                FeeLine l = c.lines().get(i);
                lineContracts.add(c.contractId());
                nos.add(Integer.toString(i + 1));
                kinds.add(l.kind().name());
                quantities.add(Long.toString(l.quantity()));
                prices.add(Long.toString(l.unitPrice()));
                amounts.add(Long.toString(l.amount()));
                adjusts.add(l.adjusts().map(YearMonth::toString).orElse(null));
            }
        }
        Mono<Void> head = stores.postgres(db.sql(SAVE_HEAD).bind("tenant", tenantId).bind("month", m)
                .bind("closedAt", Rows.time(statement.closedAt().orElseThrow())).bind("closedBy", closedBy)
                .bind("client", client).bind("contracts", cs.size()).bind("tokens", statement.tokens())
                .bind("total", statement.total()).then());
        Mono<Void> contracts = cs.isEmpty() ? Mono.empty() : stores.postgres(db.sql(SAVE_CONTRACTS)
                .bind("tenant", tenantId).bind("month", m)
                .bind("contracts", cs.stream().map(ContractStatement::contractId).toArray(String[]::new))
                .bind("tokens", cs.stream().map(c -> Integer.toString(c.tokens())).toArray(String[]::new))
                .bind("totals", cs.stream().map(c -> Long.toString(c.total())).toArray(String[]::new)).then());
        Mono<Void> lines = lineContracts.isEmpty() ? Mono.empty() : stores.postgres(db.sql(SAVE_LINES)
                .bind("tenant", tenantId).bind("month", m).bind("contracts", lineContracts.toArray(String[]::new))
                .bind("nos", nos.toArray(String[]::new)).bind("kinds", kinds.toArray(String[]::new))
                .bind("quantities", quantities.toArray(String[]::new)).bind("prices", prices.toArray(String[]::new))
                .bind("amounts", amounts.toArray(String[]::new)).bind("adjusts", adjusts.toArray(String[]::new)).then());
        return head.then(contracts).then(lines);
    }
}
