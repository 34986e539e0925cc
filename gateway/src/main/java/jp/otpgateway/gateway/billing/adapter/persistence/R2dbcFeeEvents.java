package jp.otpgateway.gateway.billing.adapter.persistence;

import jp.otpgateway.gateway.billing.application.port.FeeEvents;
import jp.otpgateway.gateway.shared.adapter.persistence.Rows;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
public class R2dbcFeeEvents implements FeeEvents {

    private static final String REISSUE = """
            INSERT INTO fee_events (tenant_id, fee, contract_id, login_id, serial, shipment_id, reason, occurred_at,
                                    staff_id)
            VALUES (:tenant, 'REISSUE', :contract, :login, :serial, :shipment, :reason, :at, :staff)
            """;

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcFeeEvents(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    @Override
    public Mono<Void> reissue(Reissue event) {
        return stores.postgres(db.sql(REISSUE).bind("tenant", event.tenantId()).bind("contract", event.contractId())
                .bind("login", event.loginId()).bind("serial", event.serial()).bind("shipment", event.shipmentId())
                .bind("reason", event.reason().name()).bind("at", Rows.time(event.at()))
                .bind("staff", event.staffId()).then());
    }
}
