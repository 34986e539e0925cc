package jp.otpgateway.gateway.lifecycle.adapter.persistence;

import java.util.Map;
import jp.otpgateway.gateway.shared.adapter.persistence.AssignmentSql;
import jp.otpgateway.gateway.shared.adapter.persistence.Batcher;
import jp.otpgateway.gateway.shared.adapter.persistence.Rows;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.lifecycle.application.port.Tokens;
import jp.otpgateway.gateway.config.OtpProperties;
import jp.otpgateway.gateway.verification.domain.TokenState;
import jp.otpgateway.gateway.lifecycle.domain.AssignmentState;
import jp.otpgateway.gateway.lifecycle.domain.LossReason;
import jp.otpgateway.gateway.lifecycle.domain.TokenFacts;
import jp.otpgateway.gateway.verification.application.port.ActiveTokens;
import jp.otpgateway.gateway.verification.domain.Drift;
import jp.otpgateway.gateway.verification.domain.TokenRecord;
import jp.otpgateway.tenant.model.HashAlgorithm;
import jp.otpgateway.tenant.model.TokenKind;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class R2dbcTokens implements Tokens, ActiveTokens {

    /*
     * One statement per chunk: the rows travel as parallel text arrays and are unnested server-side,
     * so importing tens of thousands of tokens costs tens of round trips, not tens of thousands.
     */
    private static final String INSERT_HARDWARE = """
            INSERT INTO tokens (tenant_id, serial, kind, seed_sealed, algorithm, digits, period_seconds,
                                expires_at, imported_at)
            SELECT :tenant, t.serial, 'HARDWARE', decode(t.seed, 'base64'), t.algorithm, t.digits::smallint,
                   t.period::smallint, t.expires::timestamptz, :now
              FROM unnest(CAST(:serials AS text[]), CAST(:seeds AS text[]), CAST(:algorithms AS text[]),
                          CAST(:digits AS text[]), CAST(:periods AS text[]), CAST(:expires AS text[]))
                   AS t(serial, seed, algorithm, digits, period, expires)
            ON CONFLICT (tenant_id, serial) DO NOTHING
            """;

    private static final String RECORD_COLUMNS = """
            t.serial, t.kind, t.seed_sealed, t.algorithm, t.digits, t.period_seconds, t.expires_at,
            t.locked, t.failure_count, t.last_used_step, t.state_version, t.drift_steps, t.drift_below
            """;

    /* Hot path step 2: one indexed query from the user to the token of the ACTIVE assignment. */
    static final String ACTIVE_TOKEN_OF = "SELECT " + RECORD_COLUMNS + """
              FROM assignments a
              JOIN tokens t ON t.tenant_id = a.tenant_id AND t.serial = a.serial
             WHERE a.tenant_id = :tenant AND a.login_id = :login AND a.state = 'ACTIVE'
            """;

    /* The same for a batch of users: one statement, each row numbered by its request. */
    static final String ACTIVE_TOKENS_OF = "SELECT i.idx, " + RECORD_COLUMNS + """
              FROM unnest(CAST(:tenants AS text[]), CAST(:logins AS text[])) WITH ORDINALITY AS i(tenant, login, idx)
              JOIN assignments a ON a.tenant_id = i.tenant AND a.login_id = i.login AND a.state = 'ACTIVE'
              JOIN tokens t ON t.tenant_id = a.tenant_id AND t.serial = a.serial
            """;

    /*
     * The preload (PreloadingActiveTokens): a tenant's users with an ACTIVE token, page by page in
     * login order. The range scan walks assignments_active, whose predicate and order are the query's
     * own, so the plan needs no statistics (PlansWithoutStatisticsIT).
     */
    static final String ACTIVE_TOKENS_AFTER = "SELECT a.login_id, " + RECORD_COLUMNS + """
              FROM assignments a
              JOIN tokens t ON t.tenant_id = a.tenant_id AND t.serial = a.serial
             WHERE a.tenant_id = :tenant AND a.state = 'ACTIVE' AND a.login_id > :after
             ORDER BY a.login_id
             LIMIT :limit
            """;

    /*
     * Only when a user has no ACTIVE token: is the user known, and suspended? The literal is
     * AssignmentState.SUSPENDED (AssignmentSqlTest).
     */
    static final String ABSENCE = """
            SELECT EXISTS (SELECT 1 FROM users WHERE tenant_id = :tenant AND login_id = :login) AS known,
                   EXISTS (SELECT 1 FROM assignments WHERE tenant_id = :tenant AND login_id = :login
                              AND state = 'SUSPENDED') AS suspended
            """;

    private static final String FIND = "SELECT " + RECORD_COLUMNS
            + " FROM tokens t WHERE t.tenant_id = :tenant AND t.serial = :serial";

    /* A token by serial with a user who holds it now (assignments_active_by_serial) and why none may. */
    static final String BY_SERIAL = "SELECT " + RECORD_COLUMNS + """
                 , t.suspended_at IS NOT NULL AS suspended, t.retired_at IS NOT NULL AS retired,
                   (SELECT min(a.login_id) FROM assignments a
                     WHERE a.tenant_id = t.tenant_id AND a.serial = t.serial AND a.state = 'ACTIVE') AS holder
              FROM tokens t WHERE t.tenant_id = :tenant AND t.serial = :serial
            """;

    /* A token's current holders with their contracts: a row per holder, or one row without. */
    private static final String CURRENT_HOLDERS = """
              LEFT JOIN assignments a ON a.tenant_id = t.tenant_id AND a.serial = t.serial
                                     AND\s""" + AssignmentSql.current("a") + """
              LEFT JOIN users u ON u.tenant_id = a.tenant_id AND u.login_id = a.login_id
            """;

    private static final String FACTS = """
            SELECT t.kind, t.expires_at, t.retired_at, t.contract_id, t.suspension_reason,
                   a.login_id, a.state, u.contract_id AS holder_contract
              FROM tokens t
            """ + CURRENT_HOLDERS + """
             WHERE t.tenant_id = :tenant AND t.serial = :serial
            """;

    /*
     * FACTS and FIND of a batch of activations in one statement, and whether the user deactivated
     * the token before (R11; the DEACTIVATED assignment, index assignments_deactivated); a row per
     * holder, numbered by its request.
     */
    static final String FOR_ACTIVATION = "SELECT i.idx, " + RECORD_COLUMNS + """
                 , t.retired_at, t.contract_id, t.suspension_reason,
                   EXISTS (SELECT 1 FROM assignments d
                            WHERE d.tenant_id = i.tenant AND d.login_id = i.login AND d.serial = i.serial
                              AND d.state = 'DEACTIVATED') AS barred,
                   a.login_id, a.state, u.contract_id AS holder_contract
              FROM unnest(CAST(:tenants AS text[]), CAST(:logins AS text[]), CAST(:serials AS text[]))
                   WITH ORDINALITY AS i(tenant, login, serial, idx)
              JOIN tokens t ON t.tenant_id = i.tenant AND t.serial = i.serial
            """ + CURRENT_HOLDERS;

    private static final String BIND_CONTRACT = """
            UPDATE tokens SET contract_id = :contract
             WHERE tenant_id = :tenant AND serial = :serial AND (contract_id IS NULL OR contract_id = :contract)
               AND retired_at IS NULL
            """;

    private static final String RETIRED = """
            SELECT retired_at IS NOT NULL AS retired FROM tokens WHERE tenant_id = :tenant AND serial = :serial
            """;

    private static final String SUSPEND = """
            UPDATE tokens SET suspended_at = :now, suspension_reason = :reason, retired_at = :now
             WHERE tenant_id = :tenant AND serial = :serial AND retired_at IS NULL
            """;

    private static final String UNLOCK = """
            UPDATE tokens SET locked = false, failure_count = 0, state_version = state_version + 1
             WHERE tenant_id = :tenant AND serial = ANY(CAST(:serials AS text[]))
            RETURNING serial
            """;

    private static final String RETIRE_IF_UNHELD = """
            UPDATE tokens t SET retired_at = :now
             WHERE t.tenant_id = :tenant AND t.serial = :serial AND t.retired_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM assignments a
                                WHERE a.tenant_id = t.tenant_id AND a.serial = t.serial
                                  AND\s""" + AssignmentSql.current("a") + """
                                  )
            """;

    private static final String EXPIRING = """
            SELECT t.serial, t.kind, t.expires_at, t.contract_id,
                   array_agg(a.login_id ORDER BY a.login_id) AS users
              FROM tokens t
              JOIN assignments a ON a.tenant_id = t.tenant_id AND a.serial = t.serial AND a.state = 'ACTIVE'
             WHERE t.tenant_id = :tenant AND t.retired_at IS NULL
               AND t.expires_at >= :from AND t.expires_at < :to
             GROUP BY t.serial, t.kind, t.expires_at, t.contract_id
             ORDER BY t.expires_at, t.serial
            """;

    private record UserKey(String tenantId, String loginId) {
    }

    private final DatabaseClient db;
    private final StoreCalls stores;
    private final Batcher<UserKey, TokenRecord> activeTokens;
    private final Batcher<Wanted, ForActivation> activations;

    public R2dbcTokens(DatabaseClient db, StoreCalls stores, OtpProperties properties) {
        this.db = db;
        this.stores = stores;
        OtpProperties.HotPath hot = properties.hotPath();
        this.activeTokens = new Batcher<>(this::activeTokensOf, hot.maxBatch(), hot.readsInFlight());
        this.activations = new Batcher<>(this::forActivations, hot.maxBatch(), hot.readsInFlight());
    }

    private record Wanted(String tenantId, String loginId, String serial) {
    }

    @Override
    public Mono<ForActivation> forActivation(String tenantId, String loginId, String serial) {
        return activations.submit(new Wanted(tenantId, loginId, serial));
    }

    private Mono<List<Optional<ForActivation>>> forActivations(List<Wanted> batch) {
        return stores.postgres(db.sql(FOR_ACTIVATION)
                        .bind("tenants", batch.stream().map(Wanted::tenantId).toArray(String[]::new))
                        .bind("logins", batch.stream().map(Wanted::loginId).toArray(String[]::new))
                        .bind("serials", batch.stream().map(Wanted::serial).toArray(String[]::new))
                        .map(row -> Map.entry(Rows.number(row, "idx"), new ActivationRow(record(row),
                                factsRow(row),
                                Boolean.TRUE.equals(row.get("barred", Boolean.class)))))
                        .all())
                .collectList()
                .map(rows -> {
                    List<List<ActivationRow>> byRequest = new ArrayList<>();
                    batch.forEach(w -> byRequest.add(new ArrayList<>()));
                    rows.forEach(r -> byRequest.get((int) (r.getKey() - 1)).add(r.getValue()));
                    List<Optional<ForActivation>> results = new ArrayList<>(batch.size());
                    for (int i = 0; i < batch.size(); i++) {
                        List<ActivationRow> found = byRequest.get(i);
                        results.add(found.isEmpty() ? Optional.empty() : Optional.of(new ForActivation(
                                facts(batch.get(i).serial(), found.stream().map(ActivationRow::facts).toList()),
                                found.get(0).record(), found.get(0).barred())));
                    }
                    return results;
                });
    }

    private record ActivationRow(TokenRecord record, FactsRow facts, boolean barred) {
    }

    @Override
    public Mono<Long> insertNewHardware(String tenantId, List<NewToken> tokens, Instant now) {
        int n = tokens.size();
        String[] serials = new String[n];
        String[] seeds = new String[n];
        String[] algorithms = new String[n];
        String[] digits = new String[n];
        String[] periods = new String[n];
        String[] expires = new String[n];
        Base64.Encoder base64 = Base64.getEncoder();
        for (int i = 0; i < n; i++) {
            NewToken t = tokens.get(i);
            serials[i] = t.serial();
            seeds[i] = base64.encodeToString(t.sealedSeed());
            algorithms[i] = t.algorithm().name();
            digits[i] = Integer.toString(t.digits());
            periods[i] = Integer.toString(t.periodSeconds());
            expires[i] = t.expiresAt().atOffset(ZoneOffset.UTC).toString();
        }
        return stores.postgresBulk(db.sql(INSERT_HARDWARE)
                .bind("tenant", tenantId)
                .bind("now", now.atOffset(ZoneOffset.UTC))
                .bind("serials", serials)
                .bind("seeds", seeds)
                .bind("algorithms", algorithms)
                .bind("digits", digits)
                .bind("periods", periods)
                .bind("expires", expires)
                .fetch()
                .rowsUpdated());
    }

    /** Hot path step 2, batched with the lookups of parallel requests (see {@link Batcher}). */
    @Override
    public Mono<TokenRecord> activeTokenOf(String tenantId, String loginId) {
        return activeTokens.submit(new UserKey(tenantId, loginId));
    }

    private Mono<List<Optional<TokenRecord>>> activeTokensOf(List<UserKey> users) {
        if (users.size() == 1) {
            UserKey u = users.get(0);
            return stores.postgres(db.sql(ACTIVE_TOKEN_OF).bind("tenant", u.tenantId()).bind("login", u.loginId())
                    .map(R2dbcTokens::record).one().map(Optional::of).defaultIfEmpty(Optional.empty())
                    .map(List::of));
        }
        return stores.postgres(db.sql(ACTIVE_TOKENS_OF)
                        .bind("tenants", users.stream().map(UserKey::tenantId).toArray(String[]::new))
                        .bind("logins", users.stream().map(UserKey::loginId).toArray(String[]::new))
                        .map(row -> Map.entry(Rows.number(row, "idx"), record(row))).all())
                .collectList()
                .map(rows -> Batcher.byPosition(users.size(), rows));
    }

    @Override
    public Flux<Held> activeTokensAfter(String tenantId, String afterLogin, int limit) {
        return stores.postgresBulk(db.sql(ACTIVE_TOKENS_AFTER).bind("tenant", tenantId).bind("after", afterLogin)
                .bind("limit", limit)
                .map(row -> new Held(row.get("login_id", String.class), record(row))).all());
    }

    @Override
    public Mono<TokenRecord> find(String tenantId, String serial) {
        return stores.postgres(db.sql(FIND).bind("tenant", tenantId).bind("serial", serial)
                .map(R2dbcTokens::record).one());
    }

    private static TokenRecord record(Readable row) {
        return new TokenRecord(row.get("serial", String.class),
                TokenKind.valueOf(row.get("kind", String.class)),
                Rows.bytes(row, "seed_sealed"),
                HashAlgorithm.valueOf(row.get("algorithm", String.class)),
                Rows.integer(row, "digits"),
                Rows.integer(row, "period_seconds"),
                Rows.instant(row, "expires_at"),
                new TokenState(Boolean.TRUE.equals(row.get("locked", Boolean.class)), Rows.integer(row, "failure_count"),
                        Rows.number(row, "last_used_step"), Rows.number(row, "state_version")),
                new Drift(Rows.integer(row, "drift_steps"), Rows.integer(row, "drift_below")));
    }

    @Override
    public Mono<TokenFacts> facts(String tenantId, String serial) {
        return stores.postgres(db.sql(FACTS).bind("tenant", tenantId).bind("serial", serial)
                        .map((row, meta) -> factsRow(row))
                        .all().collectList())
                .filter(rows -> !rows.isEmpty())
                .map(rows -> facts(serial, rows));
    }

    /** One row of a token's facts: the token, and one current holder or none. */
    private static FactsRow factsRow(Readable row) {
        return new FactsRow(TokenKind.valueOf(row.get("kind", String.class)),
                Rows.instant(row, "expires_at"), Rows.optionalInstant(row, "retired_at"),
                Rows.optionalText(row, "contract_id"),
                Rows.optionalText(row, "suspension_reason").map(LossReason::valueOf),
                Rows.optionalText(row, "login_id").map(login -> new TokenFacts.Holder(login,
                        row.get("holder_contract", String.class),
                        AssignmentState.valueOf(row.get("state", String.class)))));
    }

    private static TokenFacts facts(String serial, List<FactsRow> rows) {
        FactsRow first = rows.get(0);
        List<TokenFacts.Holder> holders = new ArrayList<>();
        rows.forEach(r -> r.holder().ifPresent(holders::add));
        return new TokenFacts(serial, first.kind(), first.expiresAt(), first.retiredAt(), first.contractId(),
                holders, first.suspension());
    }

    private record FactsRow(TokenKind kind, Instant expiresAt, Optional<Instant> retiredAt, Optional<String> contractId,
                            Optional<LossReason> suspension, Optional<TokenFacts.Holder> holder) {
    }

    @Override
    public Mono<Binding> bindToContract(String tenantId, String serial, String contractId) {
        return stores.postgres(db.sql(BIND_CONTRACT).bind("tenant", tenantId).bind("serial", serial)
                .bind("contract", contractId).fetch().rowsUpdated())
                .flatMap(n -> n == 1 ? Mono.just(Binding.BOUND)
                        : stores.postgres(db.sql(RETIRED).bind("tenant", tenantId).bind("serial", serial)
                                .map(row -> Boolean.TRUE.equals(row.get("retired", Boolean.class))
                                        ? Binding.RETIRED : Binding.OTHER_CONTRACT)
                                .one()));
    }

    @Override
    public Mono<BySerial> bySerial(String tenantId, String serial) {
        return stores.postgres(db.sql(BY_SERIAL).bind("tenant", tenantId).bind("serial", serial)
                .map(row -> new BySerial(record(row), Optional.ofNullable(row.get("holder", String.class)),
                        Boolean.TRUE.equals(row.get("suspended", Boolean.class)),
                        Boolean.TRUE.equals(row.get("retired", Boolean.class))))
                .one());
    }

    @Override
    public Mono<Absence> absenceOf(String tenantId, String loginId) {
        return stores.postgres(db.sql(ABSENCE).bind("tenant", tenantId).bind("login", loginId)
                .map(row -> !Boolean.TRUE.equals(row.get("known", Boolean.class)) ? Absence.NO_USER
                        : Boolean.TRUE.equals(row.get("suspended", Boolean.class)) ? Absence.SUSPENDED
                        : Absence.NO_ACTIVE_TOKEN)
                .one());
    }

    @Override
    public Mono<Boolean> suspend(String tenantId, String serial, String reason, Instant now) {
        return stores.postgres(db.sql(SUSPEND).bind("tenant", tenantId).bind("serial", serial).bind("reason", reason)
                .bind("now", Rows.time(now)).fetch().rowsUpdated().map(n -> n == 1));
    }

    @Override
    public Flux<String> unlock(String tenantId, Collection<String> serials) {
        return stores.postgres(db.sql(UNLOCK).bind("tenant", tenantId).bind("serials", serials.toArray(String[]::new))
                .map(row -> row.get("serial", String.class)).all());
    }

    @Override
    public Mono<Boolean> retireIfUnheld(String tenantId, String serial, Instant now) {
        return stores.postgres(db.sql(RETIRE_IF_UNHELD).bind("tenant", tenantId).bind("serial", serial)
                .bind("now", Rows.time(now)).fetch().rowsUpdated().map(n -> n == 1));
    }

    @Override
    public Flux<ExpiringToken> expiringBetween(String tenantId, Instant from, Instant to) {
        return stores.postgres(db.sql(EXPIRING).bind("tenant", tenantId).bind("from", Rows.time(from))
                .bind("to", Rows.time(to))
                .map(row -> new ExpiringToken(row.get("serial", String.class),
                        TokenKind.valueOf(row.get("kind", String.class)), Rows.instant(row, "expires_at"),
                        Rows.optionalText(row, "contract_id"), List.of(row.get("users", String[].class))))
                .all());
    }
}
