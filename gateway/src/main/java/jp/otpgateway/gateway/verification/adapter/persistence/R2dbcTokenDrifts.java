package jp.otpgateway.gateway.verification.adapter.persistence;

import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.verification.application.port.TokenDrifts;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** The learned drift in {@code tokens.drift_steps} (V12); the update announces itself (V7's trigger). */
@Repository
public class R2dbcTokenDrifts implements TokenDrifts {

    private static final String KEEP = """
            UPDATE tokens SET drift_steps = :drift
             WHERE tenant_id = :tenant AND serial = :serial AND drift_steps <> :drift
            """;

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcTokenDrifts(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    @Override
    public Mono<Void> keep(String tenantId, String serial, int driftSteps) {
        return stores.postgres(db.sql(KEEP).bind("tenant", tenantId).bind("serial", serial)
                .bind("drift", (short) driftSteps).fetch().rowsUpdated()).then();
    }
}
