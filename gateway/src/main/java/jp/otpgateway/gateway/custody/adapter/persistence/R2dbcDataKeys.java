package jp.otpgateway.gateway.custody.adapter.persistence;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import jp.otpgateway.gateway.custody.application.port.DataKeys;
import jp.otpgateway.gateway.custody.application.port.SeedKeys.WrappedKey;
import jp.otpgateway.gateway.shared.adapter.persistence.Rows;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code data_keys} and {@code data_key_destructions} (V14). */
@Repository
public class R2dbcDataKeys implements DataKeys {

    private static final String COLUMNS = "tenant_id, key_id, key_wrapped, kek, primary_from, created_at";

    /**
     * Each secret's key prefix (custody/domain/KeyRing.prefix: the first 5 bytes of its ciphertext),
     * counted over the tenant's seeds and transport keys. A full read of the tenant's tokens: an
     * operator's listing, never the hot path.
     */
    static final String SEALED_BY_PREFIX = """
            SELECT prefix, count(*) AS n FROM (
                SELECT encode(substring(seed_sealed FROM 1 FOR 5), 'hex') AS prefix FROM tokens WHERE tenant_id = :tenant
                UNION ALL
                SELECT encode(substring(key_sealed FROM 1 FOR 5), 'hex') FROM pskc_keys WHERE tenant_id = :tenant) s
            GROUP BY prefix""";

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcDataKeys(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    @Override
    public Flux<WrappedKey> all() {
        return stores.postgres(db.sql("SELECT " + COLUMNS + " FROM data_keys").map(R2dbcDataKeys::key).all());
    }

    @Override
    public Flux<WrappedKey> of(String tenantId) {
        return stores.postgres(db.sql("SELECT " + COLUMNS + " FROM data_keys WHERE tenant_id = :tenant ORDER BY primary_from")
                .bind("tenant", tenantId).map(R2dbcDataKeys::key).all());
    }

    private static WrappedKey key(io.r2dbc.spi.Readable row) {
        return new WrappedKey(row.get("tenant_id", String.class), Rows.number(row, "key_id"), Rows.bytes(row, "key_wrapped"),
                row.get("kek", String.class), Rows.instant(row, "primary_from"), Rows.instant(row, "created_at"));
    }

    @Override
    public Flux<String> destroyedTenants() {
        return stores.postgres(db.sql("SELECT tenant_id FROM data_key_destructions WHERE destroyed_at IS NOT NULL")
                .map(row -> row.get("tenant_id", String.class)).all());
    }

    @Override
    public Mono<Void> lock(String tenantId) {
        return stores.postgres(db.sql("SELECT pg_advisory_xact_lock(hashtext('otp-data-keys:' || :tenant))")
                .bind("tenant", tenantId).fetch().rowsUpdated()).then();
    }

    @Override
    public Mono<Void> insert(WrappedKey key, String createdBy) {
        var insert = db.sql("INSERT INTO data_keys (" + COLUMNS + ", created_by) "
                        + "VALUES (:tenant, :id, :wrapped, :kek, :from, :at, :by)")
                .bind("tenant", key.tenantId()).bind("id", key.id()).bind("wrapped", key.wrapped()).bind("kek", key.kek())
                .bind("from", Rows.time(key.primaryFrom())).bind("at", Rows.time(key.createdAt()));
        insert = createdBy == null ? insert.bindNull("by", String.class) : insert.bind("by", createdBy);
        return stores.postgres(insert.fetch().rowsUpdated()).then();
    }

    @Override
    public Mono<Boolean> delete(String tenantId, long keyId) {
        return stores.postgres(db.sql("DELETE FROM data_keys WHERE tenant_id = :tenant AND key_id = :id")
                .bind("tenant", tenantId).bind("id", keyId).fetch().rowsUpdated()).map(n -> n > 0);
    }

    @Override
    public Mono<Long> deleteAll(String tenantId) {
        return stores.postgres(db.sql("DELETE FROM data_keys WHERE tenant_id = :tenant")
                .bind("tenant", tenantId).fetch().rowsUpdated());
    }

    @Override
    public Mono<Map<String, Long>> sealedByPrefix(String tenantId) {
        return stores.postgresBulk(db.sql(SEALED_BY_PREFIX).bind("tenant", tenantId)
                .map(row -> Map.entry(row.get("prefix", String.class), Rows.number(row, "n"))).all()
                .collect(HashMap<String, Long>::new, (m, e) -> m.put(e.getKey(), e.getValue())))
                .map(Map::copyOf);
    }

    @Override
    public Mono<Optional<Destruction>> destruction(String tenantId) {
        return stores.postgres(db.sql("""
                        SELECT confirmation, requested_by, expires_at, destroyed_at FROM data_key_destructions
                         WHERE tenant_id = :tenant""")
                .bind("tenant", tenantId)
                .map(row -> new Destruction(row.get("confirmation", String.class), row.get("requested_by", String.class),
                        Rows.instant(row, "expires_at"), Rows.optionalInstant(row, "destroyed_at")))
                .one().map(Optional::of).defaultIfEmpty(Optional.empty()));
    }

    @Override
    public Mono<Void> requestDestruction(String tenantId, String confirmation, String staffId, Instant at, Instant expiresAt) {
        return stores.postgres(db.sql("""
                        INSERT INTO data_key_destructions (tenant_id, confirmation, requested_by, requested_at, expires_at)
                        VALUES (:tenant, :confirmation, :staff, :at, :expires)
                        ON CONFLICT (tenant_id) DO UPDATE SET confirmation = EXCLUDED.confirmation,
                            requested_by = EXCLUDED.requested_by, requested_at = EXCLUDED.requested_at,
                            expires_at = EXCLUDED.expires_at
                        WHERE data_key_destructions.destroyed_at IS NULL""")
                .bind("tenant", tenantId).bind("confirmation", confirmation).bind("staff", staffId)
                .bind("at", Rows.time(at)).bind("expires", Rows.time(expiresAt))
                .fetch().rowsUpdated()).then();
    }

    @Override
    public Mono<Void> markDestroyed(String tenantId, String staffId, Instant at) {
        return stores.postgres(db.sql("""
                        UPDATE data_key_destructions SET destroyed_at = :at, destroyed_by = :staff, confirmation = ''
                         WHERE tenant_id = :tenant AND destroyed_at IS NULL""")
                .bind("tenant", tenantId).bind("staff", staffId).bind("at", Rows.time(at))
                .fetch().rowsUpdated()).then();
    }
}
