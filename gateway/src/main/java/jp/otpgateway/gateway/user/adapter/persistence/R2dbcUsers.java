package jp.otpgateway.gateway.user.adapter.persistence;

import io.r2dbc.spi.Readable;
import jp.otpgateway.gateway.shared.adapter.persistence.AssignmentSql;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.user.application.port.Users;
import jp.otpgateway.gateway.user.domain.RegisterUserCommand;
import jp.otpgateway.gateway.user.domain.User;
import jp.otpgateway.tenant.model.UserRole;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
public class R2dbcUsers implements Users {

    /*
     * One statement, one round trip: the contract is created if new, then the user is inserted or
     * updated. (xmax = 0) is true only for a freshly inserted row, which tells 201 from 200. A user
     * holding or awaiting a token keeps its contract: tokens never move between contracts (R6), so
     * such an update returns no row.
     */
    private static final String UPSERT = """
            WITH contract AS (
                INSERT INTO contracts (tenant_id, contract_id, created_at)
                VALUES (:tenant, :contract, :now)
                ON CONFLICT DO NOTHING
            )
            INSERT INTO users (tenant_id, login_id, contract_id, name, role, email, created_at, updated_at)
            VALUES (:tenant, :login, :contract, :name, :role, :email, :now, :now)
            ON CONFLICT (tenant_id, login_id) DO UPDATE
               SET contract_id = EXCLUDED.contract_id, name = EXCLUDED.name, role = EXCLUDED.role,
                   email = EXCLUDED.email, updated_at = EXCLUDED.updated_at
             WHERE users.contract_id = EXCLUDED.contract_id
                OR (NOT EXISTS (SELECT 1 FROM assignments a
                                 WHERE a.tenant_id = users.tenant_id AND a.login_id = users.login_id
                                   AND\s""" + AssignmentSql.current("a") + """
                                   )
                    AND NOT EXISTS (SELECT 1 FROM shipments s
                                     WHERE s.tenant_id = users.tenant_id AND s.login_id = users.login_id
                                       AND s.status IN ('REQUESTED', 'SHIPPED'))
                    AND NOT EXISTS (SELECT 1 FROM software_issuances i
                                     WHERE i.tenant_id = users.tenant_id AND i.login_id = users.login_id
                                       AND i.status IN ('SETUP_PENDING', 'PROVISIONED')))
            RETURNING created_at, updated_at, (xmax = 0) AS inserted
            """;

    private static final String FIND = """
            SELECT login_id, contract_id, name, role, email, created_at, updated_at
              FROM users u WHERE tenant_id = :tenant AND login_id = :login
            """;

    private static final String LOCK = """
            SELECT 1 AS found FROM users WHERE tenant_id = :tenant AND login_id = :login FOR UPDATE
            """;

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcUsers(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    @Override
    public Mono<Registered> register(RegisterUserCommand c, Instant now) {
        DatabaseClient.GenericExecuteSpec spec = db.sql(UPSERT)
                .bind("tenant", c.tenantId())
                .bind("login", c.loginId())
                .bind("contract", c.contractId())
                .bind("name", c.name())
                .bind("role", c.role().name())
                .bind("now", now.atOffset(ZoneOffset.UTC));
        spec = c.email().isPresent() ? spec.bind("email", c.email().get()) : spec.bindNull("email", String.class);
        return stores.postgres(spec.map((row, meta) -> new Registered(
                        new User(c.tenantId(), c.loginId(), c.contractId(), c.name(), c.role(), c.email(),
                                row.get("created_at", OffsetDateTime.class).toInstant(),
                                row.get("updated_at", OffsetDateTime.class).toInstant()),
                        Boolean.TRUE.equals(row.get("inserted", Boolean.class))))
                .one());
    }

    @Override
    public Mono<Boolean> lock(String tenantId, String loginId) {
        return stores.postgres(db.sql(LOCK).bind("tenant", tenantId).bind("login", loginId)
                .map(row -> true).one().defaultIfEmpty(false));
    }

    @Override
    public Mono<User> find(String tenantId, String loginId) {
        return stores.postgres(db.sql(FIND)
                .bind("tenant", tenantId)
                .bind("login", loginId)
                .map((row, meta) -> user(tenantId, row))
                .one());
    }

    public static final String USER_COLUMNS = "u.login_id, u.contract_id, u.name, u.role, u.email, u.created_at, u.updated_at";

    public static User user(String tenantId, Readable row) {
        return new User(tenantId,
                row.get("login_id", String.class),
                row.get("contract_id", String.class),
                row.get("name", String.class),
                UserRole.valueOf(row.get("role", String.class)),
                Optional.ofNullable(row.get("email", String.class)),
                row.get("created_at", OffsetDateTime.class).toInstant(),
                row.get("updated_at", OffsetDateTime.class).toInstant());
    }
}
