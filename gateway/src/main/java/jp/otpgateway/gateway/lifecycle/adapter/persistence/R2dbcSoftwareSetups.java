package jp.otpgateway.gateway.lifecycle.adapter.persistence;

import java.nio.ByteBuffer;
import jp.otpgateway.gateway.shared.adapter.persistence.Rows;

import java.time.Instant;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.lifecycle.application.port.SoftwareSetups;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
public class R2dbcSoftwareSetups implements SoftwareSetups {

    /* A new issuance replaces a setup the user has not activated yet (a lost mail, a new phone). */
    private static final String REPLACE_OPEN = """
            WITH replaced AS (
                UPDATE software_issuances SET status = 'VOID', closed_at = :now
                 WHERE tenant_id = :tenant AND login_id = :login AND status IN ('SETUP_PENDING', 'PROVISIONED')
                   AND NOT EXISTS (SELECT 1 FROM shipments
                                    WHERE tenant_id = :tenant AND login_id = :login
                                      AND status IN ('REQUESTED', 'SHIPPED'))
                RETURNING serial
            )
            UPDATE tokens SET retired_at = :now
             WHERE tenant_id = :tenant AND serial IN (SELECT serial FROM replaced)
            """;

    /* A hardware activation ends a software setup the user did not finish. */
    private static final String VOID_OPEN = """
            WITH voided AS (
                UPDATE software_issuances SET status = 'VOID', closed_at = :now
                 WHERE tenant_id = :tenant AND login_id = :login AND status IN ('SETUP_PENDING', 'PROVISIONED')
                RETURNING serial
            )
            UPDATE tokens SET retired_at = :now
             WHERE tenant_id = :tenant AND serial IN (SELECT serial FROM voided)
            """;

    /* Token, setup, issuance mail and audit event together, or nothing when a shipment is open. */
    private static final String OPEN = """
            WITH token AS (
                INSERT INTO tokens (tenant_id, serial, kind, seed_sealed, algorithm, digits, period_seconds,
                                    expires_at, imported_at, contract_id)
                SELECT :tenant, :serial, 'SOFTWARE', :seed, :algorithm, :digits, :period, :expires, :now,
                       u.contract_id
                  FROM users u
                 WHERE u.tenant_id = :tenant AND u.login_id = :login
                   AND NOT EXISTS (SELECT 1 FROM shipments s
                                    WHERE s.tenant_id = :tenant AND s.login_id = :login
                                      AND s.status IN ('REQUESTED', 'SHIPPED'))
                RETURNING serial
            ), issuance AS (
                INSERT INTO software_issuances (tenant_id, login_id, serial, service_id, app_user_id,
                                                password_hash, email, reissue, status, max_attempts, issued_at)
                SELECT :tenant, :login, serial, :serviceId, :appUserId, :hash, :email, :reissue, 'SETUP_PENDING',
                       :maxAttempts, :now
                  FROM token
                RETURNING issuance_id, serial
            ), route AS (
                -- IDs taken in any tenant fail here (the pair is the key) and are drawn again (V15)
                INSERT INTO app_setup_routes (service_id, app_user_id, tenant_id)
                SELECT :serviceId, :appUserId, :tenant FROM issuance
            ), mail AS (
                INSERT INTO mail_outbox (tenant_id, mail_type, recipient, login_id, serial, service_id, app_user_id,
                                         created_at, next_attempt_at)
                SELECT :tenant, 'SOFTWARE_ISSUED', :email, :login, serial, :serviceId, :appUserId, :now, :now
                  FROM issuance
            ), audit AS (
                INSERT INTO audit_events (tenant_id, occurred_at, login_id, serial, operation, outcome, client)
                SELECT :tenant, :now, :login, serial, :operation, 'ISSUED_SOFTWARE', :client FROM issuance
            )
            SELECT issuance_id FROM issuance
            """;

    /* The route names the tenant (V15), then the tenant's own row is reserved. */
    private static final String RESERVE = """
            UPDATE software_issuances i SET attempts = i.attempts + 1
              FROM app_setup_routes r
             WHERE r.service_id = :serviceId AND r.app_user_id = :appUserId
               AND i.tenant_id = r.tenant_id AND i.service_id = r.service_id AND i.app_user_id = r.app_user_id
               AND i.status = 'SETUP_PENDING' AND i.attempts < i.max_attempts
            RETURNING i.tenant_id, i.issuance_id, i.login_id, i.serial, i.password_hash
            """;

    private static final String PROVISIONED = """
            WITH done AS (
                UPDATE software_issuances SET status = 'PROVISIONED', provisioned_at = :now
                 WHERE tenant_id = :tenant AND issuance_id = :id AND status = 'SETUP_PENDING'
                RETURNING login_id, serial
            )
            INSERT INTO audit_events (tenant_id, occurred_at, login_id, serial, operation, outcome, client)
            SELECT :tenant, :now, login_id, serial, 'PROVISIONING', 'PROVISIONED', :client FROM done
            """;

    /*
     * attempts were reserved before the checks, failures count the checks that failed: the setup is
     * void only when every allowed attempt failed, so a right password checked in parallel still wins.
     */
    private static final String WRONG_PASSWORD = """
            WITH counted AS (
                UPDATE software_issuances
                   SET failures = failures + 1,
                       status = CASE WHEN failures + 1 >= max_attempts THEN 'VOID' ELSE status END,
                       closed_at = CASE WHEN failures + 1 >= max_attempts THEN CAST(:now AS timestamptz)
                                        ELSE closed_at END
                 WHERE tenant_id = :tenant AND issuance_id = :id AND status = 'SETUP_PENDING'
                RETURNING login_id, serial, status
            ), retired AS (
                UPDATE tokens SET retired_at = :now
                 WHERE tenant_id = :tenant AND serial IN (SELECT serial FROM counted WHERE status = 'VOID')
            ), audit AS (
                INSERT INTO audit_events (tenant_id, occurred_at, login_id, serial, operation, outcome, client)
                SELECT :tenant, :now, login_id, serial, 'PROVISIONING',
                       CASE WHEN status = 'VOID' THEN 'VOIDED' ELSE 'WRONG_PASSWORD' END, :client
                  FROM counted
            )
            SELECT status FROM counted
            """;

    private static final String COMPLETE = """
            UPDATE software_issuances SET status = 'COMPLETED', closed_at = :now
             WHERE tenant_id = :tenant AND login_id = :login AND serial = :serial AND status = 'PROVISIONED'
            """;

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcSoftwareSetups(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    @Override
    public Mono<Long> open(NewSetup s) {
        Mono<Long> replace = stores.postgres(db.sql(REPLACE_OPEN).bind("tenant", s.tenantId()).bind("login", s.loginId())
                .bind("now", Rows.time(s.now())).fetch().rowsUpdated());
        Mono<Long> open = stores.postgres(db.sql(OPEN)
                .bind("tenant", s.tenantId()).bind("login", s.loginId()).bind("serial", s.serial())
                .bind("seed", ByteBuffer.wrap(s.sealedSeed())).bind("algorithm", s.algorithm().name())
                .bind("digits", (short) s.digits()).bind("period", (short) s.periodSeconds())
                .bind("expires", Rows.time(s.expiresAt())).bind("now", Rows.time(s.now()))
                .bind("serviceId", s.serviceId()).bind("appUserId", s.appUserId()).bind("hash", s.passwordHash())
                .bind("email", s.email()).bind("reissue", s.reissue()).bind("maxAttempts", (short) s.maxAttempts())
                .bind("operation", s.reissue() ? "REISSUE" : "ISSUANCE").bind("client", s.client())
                .map(row -> Rows.number(row, "issuance_id")).one());
        return replace.then(open);
    }

    @Override
    public Mono<Void> voidOpen(String tenantId, String loginId, Instant now) {
        return stores.postgres(db.sql(VOID_OPEN).bind("tenant", tenantId).bind("login", loginId)
                .bind("now", Rows.time(now)).then());
    }

    @Override
    public Mono<Reservation> reserve(String serviceId, String appUserId) {
        return stores.postgres(db.sql(RESERVE).bind("serviceId", serviceId).bind("appUserId", appUserId)
                .map(row -> new Reservation(row.get("tenant_id", String.class), Rows.number(row, "issuance_id"),
                        row.get("login_id", String.class), row.get("serial", String.class),
                        row.get("password_hash", String.class)))
                .one());
    }

    @Override
    public Mono<Boolean> provisioned(Reservation r, String client, Instant now) {
        return stores.postgres(db.sql(PROVISIONED).bind("tenant", r.tenantId()).bind("id", r.issuanceId())
                .bind("now", Rows.time(now)).bind("client", client).fetch().rowsUpdated().map(n -> n == 1));
    }

    @Override
    public Mono<Boolean> wrongPassword(Reservation r, String client, Instant now) {
        return stores.postgres(db.sql(WRONG_PASSWORD).bind("tenant", r.tenantId()).bind("id", r.issuanceId())
                .bind("now", Rows.time(now)).bind("client", client)
                .map(row -> "VOID".equals(row.get("status", String.class))).one().defaultIfEmpty(false));
    }

    @Override
    public Mono<Boolean> complete(String tenantId, String loginId, String serial, Instant now) {
        return stores.postgres(db.sql(COMPLETE).bind("tenant", tenantId).bind("login", loginId).bind("serial", serial)
                .bind("now", Rows.time(now)).fetch().rowsUpdated().map(n -> n == 1));
    }
}
