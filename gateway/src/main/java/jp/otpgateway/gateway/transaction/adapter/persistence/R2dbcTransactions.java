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
     * The upsert takes the (tenant, user, day) row lock; a parallel charge waits for it and then
     * re-checks the condition against the committed usage (READ COMMITTED re-evaluates ON CONFLICT
     * DO UPDATE … WHERE on the newest row version), so no two charges together pass the limit. The
     * first charge of a day inserts the row only when the amount alone fits.
     */
    private static final String CHARGE = """
            WITH charged AS (
                INSERT INTO daily_usage AS u (tenant_id, login_id, business_date, used)
                SELECT :tenant, :login, :day, :amount WHERE :amount <= :limit
                ON CONFLICT (tenant_id, login_id, business_date)
                DO UPDATE SET used = u.used + EXCLUDED.used WHERE u.used + EXCLUDED.used <= :limit
                RETURNING u.used
            ), recorded AS (
                INSERT INTO transactions (tenant_id, login_id, type, amount, payee_registered, otp_verified, charged,
                                          business_date, decided_at, client)
                SELECT :tenant, :login, :type, :amount, :payee, false, true, :day, :at, :client FROM charged
                RETURNING transaction_id
            ), audited AS (
                INSERT INTO audit_events (tenant_id, occurred_at, login_id, operation, outcome, client)
                SELECT :tenant, :at, :login, :type, 'APPROVED', :client FROM charged
            )
            SELECT r.transaction_id, c.used FROM recorded r CROSS JOIN charged c
            """;

    private static final String RECORD = """
            WITH recorded AS (
                INSERT INTO transactions (tenant_id, login_id, type, amount, payee_registered, otp_verified, charged,
                                          business_date, decided_at, client)
                VALUES (:tenant, :login, :type, :amount, :payee, :verified, false, :day, :at, :client)
                RETURNING transaction_id
            ), audited AS (
                INSERT INTO audit_events (tenant_id, occurred_at, login_id, operation, outcome, client)
                VALUES (:tenant, :at, :login, :type, 'APPROVED', :client)
            )
            SELECT transaction_id FROM recorded
            """;

    private static final String USED_ON = """
            SELECT COALESCE((SELECT used FROM daily_usage
                              WHERE tenant_id = :tenant AND login_id = :login AND business_date = :day), 0) AS used
            """;

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
        return spec.bind("tenant", a.tenantId()).bind("login", a.loginId()).bind("type", a.type())
                .bind("amount", a.amount()).bind("payee", a.payeeRegistered()).bind("day", a.businessDate())
                .bind("at", Rows.time(a.decidedAt())).bind("client", a.client());
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
