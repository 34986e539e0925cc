package jp.otpgateway.gateway.transaction.adapter.persistence;

import jp.otpgateway.gateway.shared.adapter.persistence.Rows;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.transaction.application.port.Transactions;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Transactions and daily usage in PostgreSQL. Each call is one statement, so each is atomic without
 * an explicit transaction: the charge, its transaction row and its audit event commit together or
 * not at all.
 */
@Repository
public class R2dbcTransactions implements Transactions {

    /*
     * An approval already recorded under the same client, Idempotency-Key and day (a retry that took
     * over the claim of an instance that died after acting and before keeping its answer): answered
     * as it was, and nothing is charged, recorded or audited again. Without a key, none is found.
     * The retry's body is the first one's (the key's fingerprint), so the user is too: looked up
     * through the user's transactions of the day, a plan that needs no statistics (the unique index
     * of V19 alone was passed over for transactions_by_user with a filter on a database without them).
     */
    private static final String PRIOR = """
            prior AS (
                SELECT transaction_id FROM transactions
                 WHERE tenant_id = :tenant AND login_id = :login AND business_date = :day
                   AND client = :client AND request_key = :key
            )""";

    private static final String USAGE = """
            COALESCE((SELECT used FROM daily_usage
                       WHERE tenant_id = :tenant AND login_id = :login AND business_date = :day), 0)""";

    /*
     * The upsert takes the (tenant, user, day) row lock; a parallel charge waits for it and then
     * re-checks the condition against the committed usage (READ COMMITTED re-evaluates ON CONFLICT
     * DO UPDATE … WHERE on the newest row version), so no two charges together pass the limit. The
     * first charge of a day inserts the row only when the amount alone fits.
     */
    private static final String CHARGE = "WITH " + PRIOR + """
            , charged AS (
                INSERT INTO daily_usage AS u (tenant_id, login_id, business_date, used)
                SELECT :tenant, :login, :day, :amount WHERE :amount <= :limit AND NOT EXISTS (SELECT 1 FROM prior)
                ON CONFLICT (tenant_id, login_id, business_date)
                DO UPDATE SET used = u.used + EXCLUDED.used WHERE u.used + EXCLUDED.used <= :limit
                RETURNING u.used
            ), recorded AS (
                INSERT INTO transactions (tenant_id, login_id, type, amount, payee_registered, otp_verified, charged,
                                          business_date, decided_at, client, request_key)
                SELECT :tenant, :login, :type, :amount, :payee, false, true, :day, :at, :client, :key FROM charged
                RETURNING transaction_id
            ), audited AS (
                INSERT INTO audit_events (tenant_id, occurred_at, login_id, operation, outcome, client)
                SELECT :tenant, :at, :login, :type, 'APPROVED', :client FROM charged
            )
            SELECT r.transaction_id, c.used FROM recorded r CROSS JOIN charged c
            UNION ALL
            SELECT p.transaction_id,\s""" + USAGE + """
             AS used FROM prior p
            """;

    private static final String RECORD = "WITH " + PRIOR + """
            , recorded AS (
                INSERT INTO transactions (tenant_id, login_id, type, amount, payee_registered, otp_verified, charged,
                                          business_date, decided_at, client, request_key)
                SELECT :tenant, :login, :type, :amount, :payee, :verified, false, :day, :at, :client, :key
                 WHERE NOT EXISTS (SELECT 1 FROM prior)
                RETURNING transaction_id
            ), audited AS (
                INSERT INTO audit_events (tenant_id, occurred_at, login_id, operation, outcome, client)
                SELECT :tenant, :at, :login, :type, 'APPROVED', :client WHERE NOT EXISTS (SELECT 1 FROM prior)
            )
            SELECT transaction_id FROM recorded
            UNION ALL
            SELECT transaction_id FROM prior
            """;

    private static final String USED_ON = "SELECT " + USAGE + " AS used";

    /* Row locks in the order transaction, then usage; a charge never locks a transaction row: no deadlock. */
    private static final String CANCEL = """
            WITH cancelled AS (
                UPDATE transactions SET cancelled_at = :at
                 WHERE tenant_id = :tenant AND transaction_id = :id AND cancelled_at IS NULL
                RETURNING login_id, business_date, amount, charged, type
            ), given_back AS (
                UPDATE daily_usage u SET used = u.used - c.amount
                  FROM cancelled c
                 WHERE c.charged AND u.tenant_id = :tenant AND u.login_id = c.login_id
                   AND u.business_date = c.business_date
            ), audited AS (
                INSERT INTO audit_events (tenant_id, occurred_at, login_id, operation, outcome, client)
                SELECT :tenant, :at, c.login_id, c.type, 'CANCELLED', :client FROM cancelled c
            )
            SELECT (SELECT count(*) FROM cancelled) AS cancelled,
                   EXISTS (SELECT 1 FROM transactions WHERE tenant_id = :tenant AND transaction_id = :id) AS found
            """;

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcTransactions(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    @Override
    public Mono<UUID> record(Approval a) {
        return stores.postgres(bindApproval(db.sql(RECORD), a).bind("verified", a.otpVerified())
                .map(row -> row.get("transaction_id", UUID.class)).one());
    }

    @Override
    public Mono<Charged> charge(Approval a, long dailyLimit) {
        return stores.postgres(bindApproval(db.sql(CHARGE), a).bind("limit", dailyLimit)
                .map(row -> new Charged(row.get("transaction_id", UUID.class), Rows.number(row, "used")))
                .one());
    }

    private static DatabaseClient.GenericExecuteSpec bindApproval(DatabaseClient.GenericExecuteSpec spec, Approval a) {
        DatabaseClient.GenericExecuteSpec bound = spec.bind("tenant", a.tenantId()).bind("login", a.loginId())
                .bind("type", a.type()).bind("amount", a.amount()).bind("payee", a.payeeRegistered())
                .bind("day", a.businessDate()).bind("at", Rows.time(a.decidedAt())).bind("client", a.client());
        return a.requestKey().map(key -> bound.bind("key", key)).orElseGet(() -> bound.bindNull("key", String.class));
    }

    @Override
    public Mono<Long> usedOn(String tenantId, String loginId, LocalDate day) {
        return stores.postgres(db.sql(USED_ON).bind("tenant", tenantId).bind("login", loginId).bind("day", day)
                .map(row -> Rows.number(row, "used")).one());
    }

    @Override
    public Mono<Cancellation> cancel(String tenantId, UUID transactionId, Instant at, String client) {
        return stores.postgres(db.sql(CANCEL).bind("tenant", tenantId).bind("id", transactionId)
                .bind("at", Rows.time(at)).bind("client", client)
                .map(row -> {
                    if (Rows.number(row, "cancelled") > 0) {
                        return Cancellation.CANCELLED;
                    }
                    return Boolean.TRUE.equals(row.get("found", Boolean.class))
                            ? Cancellation.ALREADY_CANCELLED : Cancellation.NOT_FOUND;
                })
                .one());
    }
}
