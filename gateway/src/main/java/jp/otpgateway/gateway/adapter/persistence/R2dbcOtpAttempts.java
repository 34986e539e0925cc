package jp.otpgateway.gateway.adapter.persistence;

import jp.otpgateway.gateway.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.application.OtpAttempts;
import jp.otpgateway.gateway.domain.otp.GuardVerdict;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Hot path step 6: one statement persists the outcome and its audit event. An acceptance updates the
 * token only when its step is newer than the stored one; when that finds no row, Redis had lost the
 * state and the code is refused after all (architecture.md). Redis ordered the acceptance before any
 * lock it reports, so a lock that parallel failures persisted first does not undo it (nor is undone).
 */
@Repository
public class R2dbcOtpAttempts implements OtpAttempts {

    private static final String ACCEPT = """
            WITH accepted AS (
                UPDATE tokens SET last_used_step = :step,
                                  failure_count = CASE WHEN locked THEN failure_count ELSE 0 END
                 WHERE tenant_id = :tenant AND serial = :serial AND last_used_step < :step
                RETURNING 1
            ), token AS (
                SELECT locked FROM tokens WHERE tenant_id = :tenant AND serial = :serial
            ), outcome AS (
                SELECT CASE WHEN EXISTS (SELECT 1 FROM accepted) THEN 'ACCEPTED'
                            WHEN (SELECT locked FROM token) THEN 'LOCKED'
                            ELSE 'REPLAYED' END AS outcome
            ), audit AS (
                INSERT INTO audit_events (tenant_id, occurred_at, login_id, serial, operation, outcome, client)
                SELECT :tenant, :at, :login, :serial, :operation, outcome, :client FROM outcome
            )
            SELECT outcome FROM outcome
            """;

    /*
     * Parallel attempts finish in any order: the count only grows within one run of failures, and a
     * failure decided before an acceptance that is already stored (a newer last step) or before an
     * unlock (an older state version) is not written back. A lock is never undone here.
     */
    private static final String REFUSE = """
            WITH counted AS (
                UPDATE tokens SET failure_count = GREATEST(failure_count, :failures), locked = locked OR :locked
                 WHERE tenant_id = :tenant AND serial = :serial AND state_version = :version
                   AND last_used_step <= :last AND :count
            )
            INSERT INTO audit_events (tenant_id, occurred_at, login_id, serial, operation, outcome, client)
            VALUES (:tenant, :at, :login, :serial, :operation, :outcome, :client)
            """;

    /*
     * The failure that locked the token (Redis decides exactly one per lock): the same statement
     * queues the lock notice (R7) to every user of the token, unless an unlock came in between and
     * nothing was written. The address is the user's, or else the one the software token was issued to.
     */
    private static final String LOCK = """
            WITH counted AS (
                UPDATE tokens SET failure_count = GREATEST(failure_count, :failures), locked = true
                 WHERE tenant_id = :tenant AND serial = :serial AND state_version = :version
                   AND last_used_step <= :last
                RETURNING serial
            ), notice AS (
                INSERT INTO mail_outbox (tenant_id, mail_type, recipient, login_id, serial, created_at, next_attempt_at)
                SELECT a.tenant_id, 'LOCK_NOTICE', r.recipient, a.login_id, a.serial, :at, :at
                  FROM counted c
                  JOIN assignments a ON a.tenant_id = :tenant AND a.serial = c.serial AND a.state = 'ACTIVE'
                  JOIN users u ON u.tenant_id = a.tenant_id AND u.login_id = a.login_id
            """ + R2dbcMailOutbox.RECIPIENT + """
                 WHERE r.recipient IS NOT NULL
            )
            INSERT INTO audit_events (tenant_id, occurred_at, login_id, serial, operation, outcome, client)
            VALUES (:tenant, :at, :login, :serial, :operation, :outcome, :client)
            """;

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcOtpAttempts(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    @Override
    public Mono<GuardVerdict.Outcome> persist(Attempt a) {
        GuardVerdict v = a.verdict();
        if (v.outcome() == GuardVerdict.Outcome.ACCEPTED) {
            return stores.postgres(db.sql(ACCEPT).bind("tenant", a.tenantId()).bind("serial", a.serial())
                    .bind("step", a.step()).bind("at", Rows.time(a.at())).bind("login", a.loginId())
                    .bind("operation", a.operation()).bind("client", a.client())
                    .map(row -> GuardVerdict.Outcome.valueOf(row.get("outcome", String.class))).one());
        }
        boolean counted = v.outcome() != GuardVerdict.Outcome.LOCKED;
        if (counted && v.locked()) {
            return stores.postgres(db.sql(LOCK).bind("tenant", a.tenantId()).bind("serial", a.serial())
                            .bind("failures", v.failures()).bind("version", v.version())
                            .bind("last", v.lastAcceptedStep()).bind("at", Rows.time(a.at())).bind("login", a.loginId())
                            .bind("operation", a.operation()).bind("outcome", v.outcome().name())
                            .bind("client", a.client()).fetch().rowsUpdated())
                    .thenReturn(v.outcome());
        }
        return stores.postgres(db.sql(REFUSE).bind("tenant", a.tenantId()).bind("serial", a.serial())
                        .bind("failures", v.failures()).bind("locked", v.locked()).bind("version", v.version()).bind("last", v.lastAcceptedStep())
                        .bind("count", counted)
                        .bind("at", Rows.time(a.at())).bind("login", a.loginId()).bind("operation", a.operation())
                        .bind("outcome", v.outcome().name()).bind("client", a.client())
                        .fetch().rowsUpdated())
                .thenReturn(v.outcome());
    }
}
