package jp.otpgateway.gateway.adapter.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import jp.otpgateway.gateway.application.Users;
import jp.otpgateway.gateway.domain.user.RegisterUserCommand;
import jp.otpgateway.gateway.domain.user.User;
import jp.otpgateway.tenant.model.UserRole;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
public class R2dbcUsers implements Users {

    /*
     * One statement, one round trip: the contract is created if new, then the user is inserted or
     * updated. (xmax = 0) is true only for a freshly inserted row, which tells 201 from 200.
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
            RETURNING created_at, updated_at, (xmax = 0) AS inserted
            """;

    private static final String FIND = """
            SELECT login_id, contract_id, name, role, email, created_at, updated_at
              FROM users WHERE tenant_id = :tenant AND login_id = :login
            """;

    private final DatabaseClient db;

    public R2dbcUsers(DatabaseClient db) {
        this.db = db;
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
        return spec.map((row, meta) -> new Registered(
                        new User(c.tenantId(), c.loginId(), c.contractId(), c.name(), c.role(), c.email(),
                                row.get("created_at", OffsetDateTime.class).toInstant(),
                                row.get("updated_at", OffsetDateTime.class).toInstant()),
                        Boolean.TRUE.equals(row.get("inserted", Boolean.class))))
                .one();
    }

    @Override
    public Mono<User> find(String tenantId, String loginId) {
        return db.sql(FIND)
                .bind("tenant", tenantId)
                .bind("login", loginId)
                .map((row, meta) -> new User(tenantId,
                        row.get("login_id", String.class),
                        row.get("contract_id", String.class),
                        row.get("name", String.class),
                        UserRole.valueOf(row.get("role", String.class)),
                        Optional.ofNullable(row.get("email", String.class)),
                        row.get("created_at", OffsetDateTime.class).toInstant(),
                        row.get("updated_at", OffsetDateTime.class).toInstant()))
                .one();
    }
}
