package jp.otpgateway.gateway.billing.adapter.persistence;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import jp.otpgateway.gateway.billing.application.port.BillingData;
import jp.otpgateway.gateway.billing.domain.TokenHold;
import jp.otpgateway.gateway.shared.adapter.persistence.Rows;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class R2dbcBillingData implements BillingData {

    /*
     * Per contract and hardware token, the span of its users' holds that overlap the month: from the
     * first activation to the end of the last hold (none while one is still current). A hold ends
     * with its assignment (ended_at: deactivated, replaced, ended); revoked and suspended holds are
     * current (ended_at NULL). An expired token is not usable, so it is held up to its expiry at the
     * latest. A user keeps the contract while holding (CONTRACT_CHANGE_REFUSED).
     */
    private static final String HOLDS = """
            SELECT u.contract_id, a.serial, min(a.activated_at) AS held_from,
                   LEAST(CASE WHEN bool_or(a.ended_at IS NULL) THEN NULL ELSE max(a.ended_at) END,
                         t.expires_at) AS held_until
              FROM assignments a
              JOIN tokens t ON t.tenant_id = a.tenant_id AND t.serial = a.serial AND t.kind = 'HARDWARE'
              JOIN users u ON u.tenant_id = a.tenant_id AND u.login_id = a.login_id
             WHERE a.tenant_id = :tenant AND a.activated_at < :to AND (a.ended_at IS NULL OR a.ended_at > :from)
               AND t.expires_at > :from
             GROUP BY u.contract_id, a.serial, t.expires_at
            """;

    private static final String REISSUES = """
            SELECT contract_id, count(*) AS reissues FROM fee_events
             WHERE tenant_id = :tenant AND fee = 'REISSUE' AND occurred_at >= :from AND occurred_at < :to
             GROUP BY contract_id
            """;

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcBillingData(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    @Override
    public Flux<TokenHold> holds(String tenantId, Instant from, Instant to) {
        return stores.postgres(db.sql(HOLDS).bind("tenant", tenantId).bind("from", Rows.time(from))
                .bind("to", Rows.time(to))
                .map(row -> new TokenHold(row.get("contract_id", String.class), row.get("serial", String.class),
                        Rows.instant(row, "held_from"), Rows.optionalInstant(row, "held_until")))
                .all());
    }

    @Override
    public Mono<Map<String, Integer>> reissues(String tenantId, Instant from, Instant to) {
        return stores.postgres(db.sql(REISSUES).bind("tenant", tenantId).bind("from", Rows.time(from))
                .bind("to", Rows.time(to))
                .map(row -> Map.entry(row.get("contract_id", String.class), Rows.integer(row, "reissues")))
                .all())
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new)
                .map(m -> (Map<String, Integer>) m);
    }
}
