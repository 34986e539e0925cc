package jp.otpgateway.gateway.branch.adapter.persistence;

import io.r2dbc.spi.Readable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.branch.application.port.BranchLookups;
import jp.otpgateway.gateway.branch.domain.Cursor;
import jp.otpgateway.gateway.branch.domain.TokenStock;
import jp.otpgateway.gateway.lifecycle.domain.AssignmentState;
import jp.otpgateway.gateway.lifecycle.domain.LossReason;
import jp.otpgateway.gateway.shared.adapter.persistence.AssignmentSql;
import jp.otpgateway.gateway.shared.adapter.persistence.Rows;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.tenant.model.TokenKind;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class R2dbcBranchLookups implements BranchLookups {

    /*
     * A token with its current holders (each with whether a new token is on its way to them), as
     * parallel arrays ordered by login ID.
     */
    private static final String TOKEN = """
            SELECT t.serial, t.kind, t.contract_id, t.expires_at, t.retired_at, t.suspended_at, t.suspension_reason,
                   t.locked, t.failure_count, t.drift_steps, h.logins, h.contracts, h.states, h.pendings
              FROM tokens t
              LEFT JOIN LATERAL (
                    SELECT array_agg(a.login_id ORDER BY a.login_id) AS logins,
                           array_agg(u.contract_id ORDER BY a.login_id) AS contracts,
                           array_agg(a.state::text ORDER BY a.login_id) AS states,
                           array_agg((EXISTS (SELECT 1 FROM shipments s
                                               WHERE s.tenant_id = a.tenant_id AND s.login_id = a.login_id
                                                 AND s.status IN ('REQUESTED', 'SHIPPED'))
                                      OR EXISTS (SELECT 1 FROM software_issuances i
                                                  WHERE i.tenant_id = a.tenant_id AND i.login_id = a.login_id
                                                    AND i.status IN ('SETUP_PENDING', 'PROVISIONED')))::text
                                     ORDER BY a.login_id) AS pendings
                      FROM assignments a
                      JOIN users u ON u.tenant_id = a.tenant_id AND u.login_id = a.login_id
                     WHERE a.tenant_id = t.tenant_id AND a.serial = t.serial
                       AND\s""" + AssignmentSql.current("a") + """
                   ) h ON true
             WHERE t.tenant_id = :tenant
            """;

    /*
     * The lists' predicates: each is exactly the predicate of its partial index (V9), so the plan is
     * an index scan in serial order whether or not the table has statistics (TokenListsIT runs EXPLAIN).
     * They repeat TokenStock.Listing.includes, which TokenListsIT checks on every item.
     */
    static final String IN_STOCK = "t.contract_id IS NULL AND t.retired_at IS NULL";
    static final String LOCKED = "t.locked AND t.retired_at IS NULL";
    static final String SUSPENDED = """
            t.suspended_at IS NOT NULL
            AND EXISTS (SELECT 1 FROM assignments sa WHERE sa.tenant_id = t.tenant_id AND sa.serial = t.serial
                          AND sa.state = 'SUSPENDED')""";

    private static final String RECENT = """
            SELECT occurred_at, operation, outcome FROM audit_events
             WHERE tenant_id = :tenant AND login_id = :login
             ORDER BY occurred_at DESC, event_id DESC
             LIMIT :limit
            """;

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcBranchLookups(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    /** The SQL of one page of a list (public for the plan test). */
    public static String listQuery(TokenStock.Listing listing, boolean after) {
        String predicate = switch (listing) {
            case IN_STOCK -> IN_STOCK;
            case LOCKED -> LOCKED;
            case SUSPENDED -> SUSPENDED;
        };
        return TOKEN + " AND " + predicate + (after ? " AND t.serial > :after" : "") + " ORDER BY t.serial LIMIT :limit";
    }

    @Override
    public Mono<TokenStock> token(String tenantId, String serial) {
        return stores.postgres(db.sql(TOKEN + " AND t.serial = :serial").bind("tenant", tenantId).bind("serial", serial)
                .map(R2dbcBranchLookups::token).one());
    }

    @Override
    public Flux<TokenStock> tokens(String tenantId, TokenStock.Listing listing, Optional<Cursor> after, int limit) {
        DatabaseClient.GenericExecuteSpec spec = db.sql(listQuery(listing, after.isPresent()))
                .bind("tenant", tenantId).bind("limit", limit);
        if (after.isPresent()) {
            spec = spec.bind("after", after.get().afterSerial());
        }
        return stores.postgres(spec.map(R2dbcBranchLookups::token).all());
    }

    @Override
    public Flux<RecentEvent> recentEvents(String tenantId, String loginId, int limit) {
        return stores.postgres(db.sql(RECENT).bind("tenant", tenantId).bind("login", loginId).bind("limit", limit)
                .map(row -> new RecentEvent(Rows.instant(row, "occurred_at"), row.get("operation", String.class),
                        row.get("outcome", String.class)))
                .all());
    }

    private static TokenStock token(Readable row) {
        String[] logins = row.get("logins", String[].class);
        String[] contracts = row.get("contracts", String[].class);
        String[] states = row.get("states", String[].class);
        String[] pendings = row.get("pendings", String[].class);
        List<TokenStock.Holder> holders = new ArrayList<>();
        for (int i = 0; logins != null && i < logins.length; i++) {
            holders.add(new TokenStock.Holder(logins[i], contracts[i], AssignmentState.valueOf(states[i]),
                    "true".equals(pendings[i])));
        }
        return new TokenStock(row.get("serial", String.class), TokenKind.valueOf(row.get("kind", String.class)),
                Rows.optionalText(row, "contract_id"), Rows.instant(row, "expires_at"),
                Rows.optionalInstant(row, "retired_at"), Rows.optionalInstant(row, "suspended_at"),
                Rows.optionalText(row, "suspension_reason").map(LossReason::valueOf),
                Boolean.TRUE.equals(row.get("locked", Boolean.class)), Rows.integer(row, "failure_count"),
                Rows.integer(row, "drift_steps"), holders);
    }
}
