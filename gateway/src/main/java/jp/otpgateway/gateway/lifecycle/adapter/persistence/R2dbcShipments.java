package jp.otpgateway.gateway.lifecycle.adapter.persistence;

import jp.otpgateway.gateway.shared.adapter.persistence.Rows;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.lifecycle.application.port.Shipments;
import jp.otpgateway.gateway.lifecycle.domain.IssuancePolicy;
import jp.otpgateway.gateway.lifecycle.domain.PendingIssuance;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class R2dbcShipments implements Shipments {

    /* No row when the user awaits a software token (the caller holds the user's row lock). */
    private static final String REQUEST = """
            INSERT INTO shipments (tenant_id, login_id, kind, channel, reissue, status, requested_at)
            SELECT :tenant, :login, 'HARDWARE', :channel, :reissue, 'REQUESTED', :now
             WHERE NOT EXISTS (SELECT 1 FROM software_issuances
                                WHERE tenant_id = :tenant AND login_id = :login
                                  AND status IN ('SETUP_PENDING', 'PROVISIONED'))
            RETURNING shipment_id
            """;

    private static final String SELECT = """
            SELECT s.shipment_id, s.login_id, u.contract_id, u.name, s.channel, s.reissue, s.status,
                   s.requested_at, s.serial, s.shipped_at, s.starts_on
              FROM shipments s JOIN users u ON u.tenant_id = s.tenant_id AND u.login_id = s.login_id
             WHERE s.tenant_id = :tenant
            """;

    private static final String SHIP = """
            UPDATE shipments SET status = 'SHIPPED', serial = :serial, shipped_at = :now, starts_on = :startsOn
             WHERE tenant_id = :tenant AND shipment_id = :id AND status = 'REQUESTED'
            """;

    private static final String SERIAL_SHIPPED = """
            SELECT EXISTS (SELECT 1 FROM shipments
                            WHERE tenant_id = :tenant AND serial = :serial AND status = 'SHIPPED') AS shipped
            """;

    private static final String COMPLETE = """
            UPDATE shipments SET status = 'COMPLETED', completed_at = :now
             WHERE tenant_id = :tenant AND login_id = :login AND status IN ('REQUESTED', 'SHIPPED')
            """;

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcShipments(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    @Override
    public Mono<Long> request(String tenantId, String loginId, IssuancePolicy.Channel channel, boolean reissue,
                              Instant now) {
        return stores.postgres(db.sql(REQUEST).bind("tenant", tenantId).bind("login", loginId)
                .bind("channel", channel.name()).bind("reissue", reissue).bind("now", Rows.time(now))
                .map(row -> Rows.number(row, "shipment_id")).one());
    }

    @Override
    public Flux<Shipment> withStatus(String tenantId, PendingIssuance.ShipmentStatus status) {
        return stores.postgres(db.sql(SELECT + " AND s.status = :status ORDER BY s.requested_at, s.shipment_id")
                .bind("tenant", tenantId).bind("status", status.name()).map(R2dbcShipments::shipment).all());
    }

    @Override
    public Mono<Shipment> find(String tenantId, long id) {
        return stores.postgres(db.sql(SELECT + " AND s.shipment_id = :id").bind("tenant", tenantId).bind("id", id)
                .map(R2dbcShipments::shipment).one());
    }

    private static Shipment shipment(Readable row) {
        return new Shipment(Rows.number(row, "shipment_id"), row.get("login_id", String.class),
                row.get("contract_id", String.class), row.get("name", String.class),
                IssuancePolicy.Channel.valueOf(row.get("channel", String.class)),
                Boolean.TRUE.equals(row.get("reissue", Boolean.class)),
                PendingIssuance.ShipmentStatus.valueOf(row.get("status", String.class)),
                Rows.instant(row, "requested_at"), Rows.optionalText(row, "serial"),
                Rows.optionalInstant(row, "shipped_at"),
                java.util.Optional.ofNullable(row.get("starts_on", java.time.LocalDate.class)));
    }

    @Override
    public Mono<Boolean> ship(String tenantId, long id, String serial, java.time.LocalDate startsOn, Instant now) {
        return stores.postgres(db.sql(SHIP).bind("tenant", tenantId).bind("id", id).bind("serial", serial)
                .bind("startsOn", startsOn)
                .bind("now", Rows.time(now)).fetch().rowsUpdated().map(n -> n == 1));
    }

    @Override
    public Mono<Boolean> serialShipped(String tenantId, String serial) {
        return stores.postgres(db.sql(SERIAL_SHIPPED).bind("tenant", tenantId).bind("serial", serial)
                .map(row -> Boolean.TRUE.equals(row.get("shipped", Boolean.class))).one());
    }

    @Override
    public Mono<Void> complete(String tenantId, String loginId, Instant now) {
        return stores.postgres(db.sql(COMPLETE).bind("tenant", tenantId).bind("login", loginId)
                .bind("now", Rows.time(now)).then());
    }
}
