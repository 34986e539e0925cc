package jp.otpgateway.gateway.lifecycle.adapter.persistence;

import jp.otpgateway.gateway.shared.adapter.persistence.AssignmentSql;
import jp.otpgateway.gateway.shared.adapter.persistence.Rows;
import jp.otpgateway.gateway.user.adapter.persistence.R2dbcUsers;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.lifecycle.application.port.Assignments;
import jp.otpgateway.gateway.lifecycle.domain.AssignmentState;
import jp.otpgateway.gateway.lifecycle.domain.Holding;
import jp.otpgateway.gateway.lifecycle.domain.PendingIssuance;
import jp.otpgateway.gateway.lifecycle.domain.UserOtpState;
import jp.otpgateway.tenant.model.TokenKind;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class R2dbcAssignments implements Assignments {

    /*
     * A user with the current token, the open issuance (a hardware shipment or a software token's
     * setup; IssuingToken keeps it to one of both), the other active users of that token, and the
     * user's last software deactivation (R11 reinstall rule).
     */
    static final String STATE = "SELECT " + R2dbcUsers.USER_COLUMNS + """
                 , a.serial, a.state, a.revoked_at, t.kind, t.expires_at, t.locked,
                   p.pending_id, p.pending_kind, p.pending_status, p.reissue, p.requested_at,
                   p.pending_serial, p.service_id, p.app_user_id, p.starts_on,
                   (SELECT array_agg(o.login_id ORDER BY o.login_id) FROM assignments o
                     WHERE o.tenant_id = a.tenant_id AND o.serial = a.serial AND o.state = 'ACTIVE'
                       AND o.login_id <> u.login_id) AS shared_with,
                   (SELECT max(d.ended_at) FROM assignments d
                      JOIN tokens dt ON dt.tenant_id = d.tenant_id AND dt.serial = d.serial AND dt.kind = 'SOFTWARE'
                     WHERE d.tenant_id = u.tenant_id AND d.login_id = u.login_id
                       AND d.state = 'DEACTIVATED') AS software_left_at
              FROM users u
              LEFT JOIN assignments a ON a.tenant_id = u.tenant_id AND a.login_id = u.login_id
                                     AND\s""" + AssignmentSql.current("a") + """
              LEFT JOIN tokens t ON t.tenant_id = a.tenant_id AND t.serial = a.serial
              LEFT JOIN LATERAL (
                    SELECT s.shipment_id AS pending_id, s.kind AS pending_kind, s.status AS pending_status,
                           s.reissue, s.requested_at, s.serial AS pending_serial,
                           NULL::text AS service_id, NULL::text AS app_user_id, s.starts_on
                      FROM shipments s
                     WHERE s.tenant_id = u.tenant_id AND s.login_id = u.login_id
                       AND s.status IN ('REQUESTED', 'SHIPPED')
                    UNION ALL
                    SELECT i.issuance_id, 'SOFTWARE', i.status, i.reissue, i.issued_at, i.serial,
                           i.service_id::text, i.app_user_id::text, NULL::date
                      FROM software_issuances i
                     WHERE i.tenant_id = u.tenant_id AND i.login_id = u.login_id
                       AND i.status IN ('SETUP_PENDING', 'PROVISIONED')
                     LIMIT 1) p ON true
             WHERE u.tenant_id = :tenant
            """;

    private static final String START = """
            INSERT INTO assignments (tenant_id, login_id, serial, state, activated_at)
            VALUES (:tenant, :login, :serial, 'ACTIVE', :now)
            """;

    private static final String MOVE = """
            UPDATE assignments
               SET state = :to,
                   revoked_at = CASE WHEN :to = 'REVOKED' THEN CAST(:now AS timestamptz) ELSE revoked_at END,
                   ended_at = CASE WHEN :to IN ('REVOKED', 'SUSPENDED') THEN ended_at
                                   ELSE CAST(:now AS timestamptz) END
             WHERE tenant_id = :tenant AND login_id = :login AND serial = :serial AND state = :from
            """;

    private static final String ACTIVE_HOLDERS = """
            SELECT login_id, serial FROM assignments
             WHERE tenant_id = :tenant AND serial = ANY(CAST(:serials AS text[])) AND state = 'ACTIVE'
             ORDER BY login_id
            """;

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcAssignments(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    @Override
    public Mono<UserOtpState> stateOf(String tenantId, String loginId) {
        return stores.postgres(db.sql(STATE + " AND u.login_id = :login").bind("tenant", tenantId)
                .bind("login", loginId).map(row -> state(tenantId, row)).one());
    }

    @Override
    public Flux<UserOtpState> contract(String tenantId, String contractId) {
        return stores.postgres(db.sql(STATE + " AND u.contract_id = :contract ORDER BY u.login_id")
                .bind("tenant", tenantId).bind("contract", contractId).map(row -> state(tenantId, row)).all());
    }

    private static UserOtpState state(String tenantId, Readable row) {
        Optional<Holding> holding = Rows.optionalText(row, "serial").map(serial -> new Holding(serial,
                TokenKind.valueOf(row.get("kind", String.class)),
                AssignmentState.valueOf(row.get("state", String.class)),
                Rows.instant(row, "expires_at"),
                Boolean.TRUE.equals(row.get("locked", Boolean.class)),
                Rows.optionalInstant(row, "revoked_at")));
        Optional<PendingIssuance> pending = Optional.ofNullable(row.get("pending_id", Long.class))
                .map(id -> new PendingIssuance(id, TokenKind.valueOf(row.get("pending_kind", String.class)),
                        PendingIssuance.ShipmentStatus.valueOf(row.get("pending_status", String.class)),
                        Boolean.TRUE.equals(row.get("reissue", Boolean.class)),
                        Rows.instant(row, "requested_at"), Rows.optionalText(row, "pending_serial"),
                        Rows.optionalText(row, "service_id").map(serviceId -> new PendingIssuance.SetupIds(serviceId,
                                row.get("app_user_id", String.class))),
                        Optional.ofNullable(row.get("starts_on", java.time.LocalDate.class))));
        String[] sharers = row.get("shared_with", String[].class);
        return new UserOtpState(R2dbcUsers.user(tenantId, row), holding, pending,
                sharers == null ? List.of() : List.of(sharers), Rows.optionalInstant(row, "software_left_at"));
    }

    @Override
    public Mono<Void> start(String tenantId, String loginId, String serial, Instant now) {
        return stores.postgres(db.sql(START).bind("tenant", tenantId).bind("login", loginId).bind("serial", serial)
                .bind("now", Rows.time(now)).then());
    }

    @Override
    public Mono<Boolean> move(String tenantId, String loginId, String serial, AssignmentState from,
                              AssignmentState to, Instant now) {
        return stores.postgres(db.sql(MOVE).bind("tenant", tenantId).bind("login", loginId).bind("serial", serial)
                .bind("from", from.name()).bind("to", to.name()).bind("now", Rows.time(now))
                .fetch().rowsUpdated().map(n -> n == 1));
    }

    @Override
    public Flux<Holder> activeHoldersOf(String tenantId, Collection<String> serials) {
        return stores.postgres(db.sql(ACTIVE_HOLDERS).bind("tenant", tenantId)
                .bind("serials", serials.toArray(String[]::new)).map(row -> new Holder(row.get("login_id", String.class), row.get("serial", String.class))).all());
    }
}
