package jp.otpgateway.gateway.verification.adapter.persistence;

import jp.otpgateway.gateway.mail.adapter.persistence.R2dbcMailOutbox;
import jp.otpgateway.gateway.shared.adapter.persistence.Batcher;
import jp.otpgateway.gateway.shared.adapter.persistence.Rows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.verification.application.port.OtpAttempts;
import jp.otpgateway.gateway.config.OtpProperties;
import jp.otpgateway.gateway.verification.domain.GuardRules;
import jp.otpgateway.gateway.verification.domain.GuardVerdict;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Hot path step 6: one statement persists the outcome and its audit event, by the rules of
 * {@code GuardRules.persist} (GuardTableIT runs its table through these statements). An acceptance updates the
 * token only when its step is newer than the stored one; when that finds no row, Redis had lost the
 * state and the code is refused after all (docs/architecture.md). Redis ordered the acceptance before any
 * lock it reports, so a lock that parallel failures persisted first does not undo it (nor is undone).
 */
@Repository
public class R2dbcOtpAttempts implements OtpAttempts {

    /**
     * The CTE {@code locked}: the tokens named by {@code source} (columns tenant, serial) locked in
     * key order, so that two batch statements never wait for each other in a circle. The statement
     * refers to it ({@code (SELECT count(*) FROM locked) >= 0}) so that it runs before its update.
     */
    private static String lockedInKeyOrder(String source) {
        return """
                locked AS (
                    SELECT t.tenant_id, t.serial FROM tokens t
                     WHERE (t.tenant_id, t.serial) IN (SELECT tenant, serial FROM %s)
                     ORDER BY t.tenant_id, t.serial
                       FOR UPDATE
                )""".formatted(source);
    }

    /*
     * The acceptances of a batch (group commit, see Batcher; a batch of one too). An acceptance
     * updates the token only when its step is newer than the stored one; when that finds no row, Redis
     * had lost the state and the code is refused after all (REPLAYED, or LOCKED on a locked token).
     * Redis ordered the acceptance before any lock it reports, so a lock that parallel failures
     * persisted first does not undo it (nor is undone). The tokens are locked in key order first, so two batches never wait on each other in a
     * circle; of two acceptances of one token in one batch (steps of two minutes) the later step is
     * written and the other is answered as a replay. A user's acceptance whose assignment is no longer
     * ACTIVE is STALE: not written, not audited (the caller looks again). A written acceptance
     * keeps the drift the caller learned from it (Drift.after), in the same update.
     */
    static final String ACCEPT = """
            WITH input AS (
                SELECT x.idx, x.tenant, x.serial, x.step::bigint AS step, x.login, x.op, x.client,
                       x.at::timestamptz AS at, x.holding::boolean AS holding, NULLIF(x.staff, '') AS staff,
                       x.drift::smallint AS drift, x.below::smallint AS below
                  FROM unnest(CAST(:tenants AS text[]), CAST(:serials AS text[]), CAST(:steps AS text[]),
                              CAST(:logins AS text[]), CAST(:ops AS text[]), CAST(:clients AS text[]),
                              CAST(:ats AS text[]), CAST(:holdings AS text[]), CAST(:staffs AS text[]),
                              CAST(:drifts AS text[]), CAST(:belows AS text[]))
                       WITH ORDINALITY AS x(tenant, serial, step, login, op, client, at, holding, staff, drift, below, idx)
            ), checked AS (
                SELECT i.*, NOT i.holding OR EXISTS (SELECT 1 FROM assignments a
                                                      WHERE a.tenant_id = i.tenant AND a.login_id = i.login
                                                        AND a.serial = i.serial AND a.state = 'ACTIVE') AS ok
                  FROM input i
            ), """ + lockedInKeyOrder("input") + """
            , accepted AS (
                UPDATE tokens t SET last_used_step = i.step,
                                    failure_count = CASE WHEN t.locked THEN t.failure_count ELSE 0 END,
                                    drift_steps = i.drift, drift_below = i.below
                  FROM (SELECT DISTINCT ON (tenant, serial) * FROM checked WHERE ok
                         ORDER BY tenant, serial, step DESC) i
                 WHERE t.tenant_id = i.tenant AND t.serial = i.serial AND t.last_used_step < i.step
                   AND (SELECT count(*) FROM locked) >= 0
                RETURNING i.idx
            ), outcome AS (
                SELECT i.*, CASE WHEN NOT i.ok THEN 'STALE'
                                 WHEN EXISTS (SELECT 1 FROM accepted a WHERE a.idx = i.idx) THEN 'ACCEPTED'
                                 WHEN (SELECT t.locked FROM tokens t
                                        WHERE t.tenant_id = i.tenant AND t.serial = i.serial) THEN 'LOCKED'
                                 ELSE 'REPLAYED' END AS outcome
                  FROM checked i
            ), audit AS (
                INSERT INTO audit_events (tenant_id, occurred_at, login_id, serial, operation, outcome, client, staff_id)
                SELECT tenant, at, login, serial, op, outcome, client, staff FROM outcome WHERE outcome <> 'STALE'
            )
            SELECT idx, outcome FROM outcome
            """;

    /*
     * The refusals of a batch (a brute-force storm's wrong codes go together too; a batch of one too).
     * Parallel attempts finish in any order: the count only grows within one run of failures, and a
     * failure decided before an acceptance that is already stored (a newer last step) or before an
     * unlock (an older state version) is not written back. A lock is never undone here (the failure
     * that locks goes through LOCK; a LOCKED refusal is audited, not counted).
     * The guard decides one token's attempts one after the other, so of a token's counted failures
     * in one batch the latest decision (highest version, then last step, then count) carries what
     * all of them would have written in turn; only it is applied, under the same conditions. The
     * tokens are locked in key order first, as in ACCEPT, so no two batches wait in a circle.
     */
    private static final String REFUSE = """
            WITH input AS (
                SELECT x.tenant, x.serial, x.failures::int AS failures, x.version::bigint AS version,
                       x.last::bigint AS last, x.counted::boolean AS counted, x.login, x.op, x.outcome,
                       x.client, x.at::timestamptz AS at, NULLIF(x.staff, '') AS staff
                  FROM unnest(CAST(:tenants AS text[]), CAST(:serials AS text[]), CAST(:failures AS text[]),
                              CAST(:versions AS text[]), CAST(:lasts AS text[]), CAST(:counteds AS text[]),
                              CAST(:logins AS text[]), CAST(:ops AS text[]), CAST(:outcomes AS text[]),
                              CAST(:clients AS text[]), CAST(:ats AS text[]), CAST(:staffs AS text[]))
                       AS x(tenant, serial, failures, version, last, counted, login, op, outcome, client, at, staff)
            ), latest AS (
                SELECT DISTINCT ON (tenant, serial) * FROM input WHERE counted
                 ORDER BY tenant, serial, version DESC, last DESC, failures DESC
            ), """ + lockedInKeyOrder("latest") + """
            , counted AS (
                UPDATE tokens t SET failure_count = GREATEST(t.failure_count, l.failures)
                  FROM latest l
                 WHERE t.tenant_id = l.tenant AND t.serial = l.serial AND t.state_version = l.version
                   AND t.last_used_step <= l.last AND (SELECT count(*) FROM locked) >= 0
            )
            INSERT INTO audit_events (tenant_id, occurred_at, login_id, serial, operation, outcome, client, staff_id)
            SELECT tenant, at, login, serial, op, outcome, client, staff FROM input
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
            INSERT INTO audit_events (tenant_id, occurred_at, login_id, serial, operation, outcome, client, staff_id)
            VALUES (:tenant, :at, :login, :serial, :operation, :outcome, :client, NULLIF(:staff, ''))
            """;

    private final DatabaseClient db;
    private final StoreCalls stores;
    private final Batcher<Attempt, GuardVerdict.Outcome> acceptances;
    private final Batcher<Attempt, GuardVerdict.Outcome> refusals;

    public R2dbcOtpAttempts(DatabaseClient db, StoreCalls stores, OtpProperties properties) {
        this.db = db;
        this.stores = stores;
        OtpProperties.HotPath hot = properties.hotPath();
        this.acceptances = new Batcher<>(this::accept, hot.maxBatch(), hot.writesInFlight());
        this.refusals = new Batcher<>(this::refuse, hot.maxBatch(), hot.writesInFlight());
    }

    /** One statement for every acceptance of the batch: one commit for all (group commit). */
    private Mono<List<Optional<GuardVerdict.Outcome>>> accept(List<Attempt> batch) {
        return stores.postgres(db.sql(ACCEPT)
                        .bind("tenants", column(batch, Attempt::tenantId))
                        .bind("serials", column(batch, Attempt::serial))
                        .bind("steps", column(batch, a -> Long.toString(a.step())))
                        .bind("logins", column(batch, Attempt::loginId))
                        .bind("ops", column(batch, Attempt::operation))
                        .bind("clients", column(batch, Attempt::client))
                        .bind("ats", column(batch, a -> Rows.time(a.at()).toString()))
                        .bind("holdings", column(batch, a -> Boolean.toString(a.holding())))
                        .bind("staffs", column(batch, Attempt::staff))
                        .bind("drifts", column(batch, a -> Integer.toString(a.drift().steps())))
                        .bind("belows", column(batch, a -> Integer.toString(a.drift().below())))
                        .map(row -> Map.entry(Rows.number(row, "idx"),
                                GuardVerdict.Outcome.valueOf(row.get("outcome", String.class)))).all())
                .collectList()
                .map(rows -> Batcher.byPosition(batch.size(), rows));
    }

    private static String[] column(List<Attempt> batch, Function<Attempt, String> value) {
        return batch.stream().map(value).toArray(String[]::new);
    }

    @Override
    public Mono<GuardVerdict.Outcome> persist(Attempt a) {
        GuardVerdict v = a.verdict();
        if (v.outcome() == GuardVerdict.Outcome.ACCEPTED) {
            return acceptances.submit(a);
        }
        if (counted(v) && v.locked()) {
            return stores.postgres(db.sql(LOCK).bind("tenant", a.tenantId()).bind("serial", a.serial())
                            .bind("failures", v.failures()).bind("version", v.version())
                            .bind("last", v.lastAcceptedStep()).bind("at", Rows.time(a.at())).bind("login", a.loginId())
                            .bind("operation", a.operation()).bind("outcome", v.outcome().name())
                            .bind("client", a.client()).bind("staff", a.staff()).fetch().rowsUpdated())
                    .thenReturn(v.outcome());
        }
        return refusals.submit(a);
    }

    /** One statement for every refusal of the batch; each is answered with its own outcome. */
    private Mono<List<Optional<GuardVerdict.Outcome>>> refuse(List<Attempt> batch) {
        List<Optional<GuardVerdict.Outcome>> outcomes = batch.stream()
                .map(a -> Optional.of(a.verdict().outcome())).toList();
        return stores.postgres(db.sql(REFUSE)
                        .bind("tenants", column(batch, Attempt::tenantId))
                        .bind("serials", column(batch, Attempt::serial))
                        .bind("failures", column(batch, a -> Integer.toString(a.verdict().failures())))
                        .bind("versions", column(batch, a -> Long.toString(a.verdict().version())))
                        .bind("lasts", column(batch, a -> Long.toString(a.verdict().lastAcceptedStep())))
                        .bind("counteds", column(batch, a -> Boolean.toString(counted(a.verdict()))))
                        .bind("logins", column(batch, Attempt::loginId))
                        .bind("ops", column(batch, Attempt::operation))
                        .bind("outcomes", column(batch, a -> a.verdict().outcome().name()))
                        .bind("clients", column(batch, Attempt::client))
                        .bind("ats", column(batch, a -> Rows.time(a.at()).toString()))
                        .bind("staffs", column(batch, Attempt::staff))
                        .fetch().rowsUpdated())
                .thenReturn(outcomes);
    }

    /** GuardRules.counts: a wrong code or a replay counts as a failure; an attempt on a locked token does not (R7). */
    private static boolean counted(GuardVerdict v) {
        return GuardRules.counts(v.outcome());
    }
}
