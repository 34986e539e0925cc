package jp.otpgateway.gateway.idempotency.adapter.persistence;

import jp.otpgateway.gateway.shared.adapter.persistence.Rows;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.idempotency.application.port.IdempotentRequests;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Idempotency records in PostgreSQL: they must outlive a Redis loss and a gateway restart, or a
 * retry after either could charge a limit twice.
 */
@Repository
public class R2dbcIdempotentRequests implements IdempotentRequests {

    /*
     * A concurrent insert of the same key makes ON CONFLICT wait for it; the loser then reads it. No
     * RETURNING: the row count says whether we claimed, and rows nobody reads are not left undrained.
     */
    private static final String CLAIM = """
            INSERT INTO idempotency_records AS r
                   (tenant_id, client, idem_key, fingerprint, created_at, lease_until, expires_at)
            VALUES (:tenant, :client, :key, :fingerprint, :now, :lease, :expires)
            ON CONFLICT (tenant_id, client, idem_key) DO UPDATE
               SET fingerprint = EXCLUDED.fingerprint, status = NULL, content_type = NULL, body = NULL,
                   created_at = EXCLUDED.created_at, lease_until = EXCLUDED.lease_until,
                   expires_at = EXCLUDED.expires_at
             WHERE r.expires_at <= :now OR (r.status IS NULL AND r.lease_until <= :now)
            """;

    private static final String FIND = """
            SELECT fingerprint, status, content_type, body FROM idempotency_records
             WHERE tenant_id = :tenant AND client = :client AND idem_key = :key
            """;

    private static final String COMPLETE = """
            UPDATE idempotency_records SET status = :status, content_type = :contentType, body = :body
             WHERE tenant_id = :tenant AND client = :client AND idem_key = :key
               AND fingerprint = :fingerprint AND status IS NULL
            """;

    private static final String RELEASE = """
            DELETE FROM idempotency_records
             WHERE tenant_id = :tenant AND client = :client AND idem_key = :key
               AND fingerprint = :fingerprint AND status IS NULL
            """;

    private static final String PURGE = """
            DELETE FROM idempotency_records
             WHERE ctid = ANY (ARRAY(SELECT ctid FROM idempotency_records WHERE expires_at <= :now LIMIT :batch))
            """;

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcIdempotentRequests(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    @Override
    public Mono<Claim> claim(Key key, byte[] fingerprint, Instant now, Duration lease, Duration ttl) {
        Mono<Long> inserted = bindKey(db.sql(CLAIM), key).bind("fingerprint", ByteBuffer.wrap(fingerprint))
                .bind("now", Rows.time(now)).bind("lease", Rows.time(now.plus(lease)))
                .bind("expires", Rows.time(now.plus(ttl))).fetch().rowsUpdated();
        return stores.postgres(inserted.flatMap(n -> n > 0 ? Mono.just((Claim) new Claimed()) : existing(key, fingerprint)));
    }

    private Mono<Claim> existing(Key key, byte[] fingerprint) {
        return bindKey(db.sql(FIND), key).map(row -> {
                    byte[] stored = bytes(row.get("fingerprint", ByteBuffer.class));
                    if (!Arrays.equals(stored, fingerprint)) {
                        return (Claim) new Reused();
                    }
                    Number status = row.get("status", Number.class);
                    if (status == null) {
                        return new InProgress();
                    }
                    ByteBuffer body = row.get("body", ByteBuffer.class);
                    return new Answered(new StoredResponse(status.intValue(), row.get("content_type", String.class),
                            body == null ? new byte[0] : bytes(body)));
                })
                .one()
                // Released between our insert attempt and this read: the caller tries again.
                .defaultIfEmpty(new InProgress());
    }

    @Override
    public Mono<Void> complete(Key key, byte[] fingerprint, StoredResponse response) {
        DatabaseClient.GenericExecuteSpec spec = bindKey(db.sql(COMPLETE), key)
                .bind("fingerprint", ByteBuffer.wrap(fingerprint)).bind("status", (short) response.status())
                .bind("body", ByteBuffer.wrap(response.body()));
        spec = response.contentType() == null ? spec.bindNull("contentType", String.class)
                : spec.bind("contentType", response.contentType());
        return stores.postgres(spec.then());
    }

    @Override
    public Mono<Void> release(Key key, byte[] fingerprint) {
        return stores.postgres(bindKey(db.sql(RELEASE), key).bind("fingerprint", ByteBuffer.wrap(fingerprint)).then());
    }

    @Override
    public Mono<Long> purgeExpired(Instant now, int batch) {
        return stores.postgres(db.sql(PURGE).bind("now", Rows.time(now)).bind("batch", batch).fetch().rowsUpdated());
    }

    private static DatabaseClient.GenericExecuteSpec bindKey(DatabaseClient.GenericExecuteSpec spec, Key key) {
        return spec.bind("tenant", key.tenantId()).bind("client", key.client()).bind("key", key.key());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
