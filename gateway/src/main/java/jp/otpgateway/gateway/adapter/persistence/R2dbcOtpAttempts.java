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
        return stores.postgres(db.sql(REFUSE).bind("tenant", a.tenantId()).bind("serial", a.serial())
                        .bind("failures", v.failures()).bind("locked", v.locked()).bind("version", v.version()).bind("last", v.lastAcceptedStep())
                        .bind("count", v.outcome() != GuardVerdict.Outcome.LOCKED)
                        .bind("at", Rows.time(a.at())).bind("login", a.loginId()).bind("operation", a.operation())
                        .bind("outcome", v.outcome().name()).bind("client", a.client())
                        .fetch().rowsUpdated())
                .thenReturn(v.outcome());
    }
}
