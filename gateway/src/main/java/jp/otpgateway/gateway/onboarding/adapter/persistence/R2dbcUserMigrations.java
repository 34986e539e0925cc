package jp.otpgateway.gateway.onboarding.adapter.persistence;

import java.util.function.Function;
import jp.otpgateway.gateway.shared.adapter.persistence.AssignmentSql;
import jp.otpgateway.gateway.shared.adapter.persistence.Rows;

import java.time.Instant;
import java.util.List;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.onboarding.application.port.UserMigrations;
import jp.otpgateway.gateway.onboarding.domain.UserMigrationCsv;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;

@Repository
public class R2dbcUserMigrations implements UserMigrations {

    /*
     * One statement per chunk: every line is judged against the stored state with the rules of an
     * activation (R5, R6, R11; of two lines naming one token for different contracts the first
     * wins), the good ones become contract, user, token binding, ACTIVE
     * assignment and audit event, and the others come back with their reason. The rows travel as
     * parallel text arrays.
     */
    private static final String IMPORT = """
            WITH input AS (
                SELECT x.line::bigint AS line, x.login, x.contract, x.name, x.role, NULLIF(x.email, '') AS email,
                       x.serial
                  FROM unnest(CAST(:lines AS text[]), CAST(:logins AS text[]), CAST(:contracts AS text[]),
                              CAST(:names AS text[]), CAST(:roles AS text[]), CAST(:emails AS text[]),
                              CAST(:serials AS text[])) AS x(line, login, contract, name, role, email, serial)
            ), judged AS (
                SELECT i.*,
                       CASE
                         WHEN t.serial IS NULL THEN 'TOKEN_NOT_FOUND'
                         WHEN t.kind <> 'HARDWARE' THEN 'KIND_MISMATCH'
                         WHEN t.retired_at IS NOT NULL THEN 'TOKEN_RETIRED'
                         WHEN t.expires_at <= :now THEN 'TOKEN_EXPIRED'
                         WHEN u.contract_id IS NOT NULL AND u.contract_id <> i.contract THEN 'CONTRACT_CHANGE_REFUSED'
                         WHEN cur.serial = i.serial THEN 'SKIPPED'
                         WHEN cur.serial IS NOT NULL THEN 'ALREADY_ACTIVE'
                         WHEN EXISTS (SELECT 1 FROM assignments d
                                       WHERE d.tenant_id = :tenant AND d.login_id = i.login AND d.serial = i.serial
                                         AND d.state = 'DEACTIVATED') THEN 'TOKEN_RETIRED'
                         WHEN (t.contract_id IS NOT NULL AND t.contract_id <> i.contract)
                              OR first_value(i.contract) OVER (PARTITION BY i.serial ORDER BY i.line) <> i.contract
                              THEN 'TOKEN_OTHER_CONTRACT'
                         WHEN NOT :sharing AND (count(*) OVER (PARTITION BY i.serial) > 1
                              OR EXISTS (SELECT 1 FROM assignments h
                                          WHERE h.tenant_id = :tenant AND h.serial = i.serial
                                            AND\s""" + AssignmentSql.current("h") + """
                                            )) THEN 'TOKEN_IN_USE'
                       END AS reason
                  FROM input i
                  LEFT JOIN tokens t ON t.tenant_id = :tenant AND t.serial = i.serial
                  LEFT JOIN users u ON u.tenant_id = :tenant AND u.login_id = i.login
                  LEFT JOIN assignments cur ON cur.tenant_id = :tenant AND cur.login_id = i.login
                                           AND\s""" + AssignmentSql.current("cur") + """
            ), ok AS (
                SELECT * FROM judged WHERE reason IS NULL
            ), contracts AS (
                INSERT INTO contracts (tenant_id, contract_id, created_at)
                SELECT DISTINCT :tenant, contract, CAST(:now AS timestamptz) FROM ok
                ON CONFLICT DO NOTHING
            ), new_users AS (
                INSERT INTO users (tenant_id, login_id, contract_id, name, role, email, created_at, updated_at)
                SELECT :tenant, login, contract, name, role, email, :now, :now FROM ok
                ON CONFLICT (tenant_id, login_id) DO NOTHING
            ), bound AS (
                UPDATE tokens t SET contract_id = ok.contract
                  FROM ok
                 WHERE t.tenant_id = :tenant AND t.serial = ok.serial AND t.contract_id IS NULL
            ), assigned AS (
                INSERT INTO assignments (tenant_id, login_id, serial, state, activated_at)
                SELECT :tenant, login, serial, 'ACTIVE', :now FROM ok
            ), audit AS (
                INSERT INTO audit_events (tenant_id, occurred_at, login_id, serial, operation, outcome, client)
                SELECT :tenant, :now, login, serial, 'MIGRATION', 'MIGRATED', :client FROM ok
            )
            SELECT line, reason FROM judged WHERE reason IS NOT NULL ORDER BY line
            """;

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcUserMigrations(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    @Override
    public Flux<Outcome> importChunk(String tenantId, List<UserMigrationCsv.MigratedUser> users, boolean sharing,
                                     String client, Instant now) {
        return stores.postgresBulk(db.sql(IMPORT).bind("tenant", tenantId).bind("now", Rows.time(now))
                .bind("sharing", sharing).bind("client", client)
                .bind("lines", column(users, u -> Long.toString(u.line())))
                .bind("logins", column(users, u -> u.user().loginId()))
                .bind("contracts", column(users, u -> u.user().contractId()))
                .bind("names", column(users, u -> u.user().name()))
                .bind("roles", column(users, u -> u.user().role().name()))
                .bind("emails", column(users, u -> u.user().email().orElse("")))
                .bind("serials", column(users, UserMigrationCsv.MigratedUser::serial))
                .map(row -> new Outcome(Rows.number(row, "line"), row.get("reason", String.class))).all());
    }

    private static String[] column(List<UserMigrationCsv.MigratedUser> users,
                                   Function<UserMigrationCsv.MigratedUser, String> value) {
        return users.stream().map(value).toArray(String[]::new);
    }
}
