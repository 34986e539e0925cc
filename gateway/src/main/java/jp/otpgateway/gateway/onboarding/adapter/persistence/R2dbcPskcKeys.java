package jp.otpgateway.gateway.onboarding.adapter.persistence;

import java.time.Instant;
import jp.otpgateway.gateway.onboarding.application.port.PskcKeys;
import jp.otpgateway.gateway.shared.adapter.persistence.Rows;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** {@code pskc_keys} (V13). */
@Repository
public class R2dbcPskcKeys implements PskcKeys {

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcPskcKeys(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    @Override
    public Mono<Void> store(String tenantId, String name, byte[] sealedKey, Instant at) {
        return stores.postgres(db.sql("""
                        INSERT INTO pskc_keys (tenant_id, name, key_sealed, stored_at) VALUES (:tenant, :name, :key, :at)
                        ON CONFLICT (tenant_id, name) DO UPDATE SET key_sealed = EXCLUDED.key_sealed, stored_at = EXCLUDED.stored_at
                        """)
                .bind("tenant", tenantId).bind("name", name).bind("key", sealedKey).bind("at", Rows.time(at))
                .fetch().rowsUpdated()).then();
    }

    @Override
    public Mono<byte[]> find(String tenantId, String name) {
        return stores.postgres(db.sql("SELECT key_sealed FROM pskc_keys WHERE tenant_id = :tenant AND name = :name")
                .bind("tenant", tenantId).bind("name", name)
                .map(row -> Rows.bytes(row, "key_sealed")).one());
    }

    @Override
    public Mono<Boolean> remove(String tenantId, String name) {
        return stores.postgres(db.sql("DELETE FROM pskc_keys WHERE tenant_id = :tenant AND name = :name")
                .bind("tenant", tenantId).bind("name", name).fetch().rowsUpdated()).map(n -> n > 0);
    }
}
