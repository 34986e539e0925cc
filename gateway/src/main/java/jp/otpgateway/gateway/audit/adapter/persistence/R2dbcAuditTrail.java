package jp.otpgateway.gateway.audit.adapter.persistence;

import io.r2dbc.spi.Readable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.audit.application.port.AuditTrail;
import jp.otpgateway.gateway.audit.domain.AuditRow;
import jp.otpgateway.gateway.audit.domain.Seal;
import jp.otpgateway.gateway.shared.adapter.persistence.Rows;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class R2dbcAuditTrail implements AuditTrail {

    private static final String COLUMNS = """
            e.event_id, e.tenant_id, e.occurred_at, e.login_id, e.serial, e.operation, e.outcome, e.client, e.actor,
            e.staff_id, e.contract_id, e.subject""";

    private static final String LEASE = """
            SELECT 1 AS leased FROM (SELECT pg_advisory_xact_lock(hashtextextended('otp-audit-seal ' || :tenant, 0))) l
            """;

    private static final String LAST_SEAL = "SELECT * FROM audit_seals WHERE tenant_id = :tenant ORDER BY block_no DESC LIMIT 1";

    private static final String SEALS = "SELECT * FROM audit_seals WHERE tenant_id = :tenant ORDER BY block_no";

    /* By PostgreSQL's own clock: rows older than the lag belong to transactions that have ended. */
    private static final String WATERMARK = """
            SELECT coalesce(max(event_id), 0) AS mark FROM audit_events
             WHERE tenant_id = :tenant AND event_id > :after
               AND (recorded_at IS NULL OR recorded_at < clock_timestamp() - CAST(:lag AS interval))
            """;

    private static final String ROWS = "SELECT " + COLUMNS + """

              FROM audit_events e
             WHERE e.tenant_id = :tenant AND e.event_id > :after AND e.event_id <= :upTo
             ORDER BY e.event_id LIMIT :limit
            """;

    private static final String COUNT_AFTER = """
            SELECT count(*) AS n FROM audit_events WHERE tenant_id = :tenant AND event_id > :after
            """;

    private static final String SAVE_SEAL = """
            INSERT INTO audit_seals (tenant_id, block_no, first_event_id, last_event_id, row_count, last_at, digest, mac,
                                     sealed_at, format)
            VALUES (:tenant, :no, :first, :last, :count, :lastAt, :digest, :mac, :sealedAt, :format)
            """;

    private static final String PURGE_ROWS = """
            DELETE FROM audit_events WHERE tenant_id = :tenant AND event_id >= :first AND event_id <= :last
            """;

    private static final String MARK_PURGED = """
            UPDATE audit_seals SET purged_at = :now WHERE tenant_id = :tenant AND block_no = :no AND purged_at IS NULL
            """;

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcAuditTrail(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    @Override
    public Flux<AuditRow> query(String tenantId, Filter filter, Optional<Long> beforeId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM audit_events e WHERE e.tenant_id = :tenant");
        List<String[]> binds = new ArrayList<>();
        filter.loginId().ifPresent(v -> {
            sql.append(" AND e.login_id = :login");
            binds.add(new String[] {"login", v});
        });
        filter.serial().ifPresent(v -> {
            sql.append(" AND e.serial = :serial");
            binds.add(new String[] {"serial", v});
        });
        filter.contractId().ifPresent(v -> {
            // events about the contract itself, and every event of its users
            sql.append(" AND (e.contract_id = :contract OR e.login_id IN (SELECT u.login_id FROM users u"
                    + " WHERE u.tenant_id = e.tenant_id AND u.contract_id = :contract))");
            binds.add(new String[] {"contract", v});
        });
        filter.operation().ifPresent(v -> {
            sql.append(" AND e.operation = :operation");
            binds.add(new String[] {"operation", v});
        });
        filter.outcome().ifPresent(v -> {
            sql.append(" AND e.outcome = :outcome");
            binds.add(new String[] {"outcome", v});
        });
        filter.from().ifPresent(v -> sql.append(" AND e.occurred_at >= :from"));
        filter.to().ifPresent(v -> sql.append(" AND e.occurred_at < :to"));
        beforeId.ifPresent(v -> sql.append(" AND e.event_id < :before"));
        sql.append(" ORDER BY e.event_id DESC LIMIT :limit");
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString()).bind("tenant", tenantId).bind("limit", limit);
        for (String[] b : binds) {
            spec = spec.bind(b[0], b[1]);
        }
        if (filter.from().isPresent()) {
            spec = spec.bind("from", Rows.time(filter.from().get()));
        }
        if (filter.to().isPresent()) {
            spec = spec.bind("to", Rows.time(filter.to().get()));
        }
        if (beforeId.isPresent()) {
            spec = spec.bind("before", beforeId.get());
        }
        return stores.postgres(spec.map(R2dbcAuditTrail::row).all());
    }

    static AuditRow row(Readable row) {
        return new AuditRow(Rows.number(row, "event_id"), row.get("tenant_id", String.class),
                Rows.instant(row, "occurred_at"), Rows.optionalText(row, "login_id"), Rows.optionalText(row, "serial"),
                row.get("operation", String.class), row.get("outcome", String.class), row.get("client", String.class),
                Rows.optionalText(row, "actor"), Rows.optionalText(row, "staff_id"), Rows.optionalText(row, "contract_id"),
                Rows.optionalText(row, "subject"));
    }

    @Override
    public Mono<Void> lease(String tenantId) {
        return stores.postgres(db.sql(LEASE).bind("tenant", tenantId).map(row -> 1).one()).then();
    }

    @Override
    public Mono<Seal> lastSeal(String tenantId) {
        return stores.postgres(db.sql(LAST_SEAL).bind("tenant", tenantId).map(R2dbcAuditTrail::seal).one());
    }

    @Override
    public Flux<Seal> seals(String tenantId) {
        return stores.postgres(db.sql(SEALS).bind("tenant", tenantId).map(R2dbcAuditTrail::seal).all());
    }

    private static Seal seal(Readable row) {
        return new Seal(row.get("tenant_id", String.class), Rows.number(row, "block_no"),
                Rows.number(row, "first_event_id"), Rows.number(row, "last_event_id"), Rows.integer(row, "row_count"),
                Rows.instant(row, "last_at"), Rows.bytes(row, "digest"), Rows.bytes(row, "mac"),
                Rows.instant(row, "sealed_at"), Rows.optionalInstant(row, "purged_at"), Rows.integer(row, "format"));
    }

    @Override
    public Mono<Long> watermark(String tenantId, long afterId, Duration lag) {
        return stores.postgres(db.sql(WATERMARK).bind("tenant", tenantId).bind("after", afterId)
                .bind("lag", lag.toMillis() + " milliseconds").map(row -> Rows.number(row, "mark")).one());
    }

    @Override
    public Flux<AuditRow> rows(String tenantId, long afterId, long upToId, int limit) {
        return stores.postgres(db.sql(ROWS).bind("tenant", tenantId).bind("after", afterId).bind("upTo", upToId)
                .bind("limit", limit).map(R2dbcAuditTrail::row).all());
    }

    @Override
    public Mono<Void> saveSeal(Seal seal) {
        return stores.postgres(db.sql(SAVE_SEAL).bind("tenant", seal.tenantId()).bind("no", seal.blockNo())
                .bind("first", seal.firstEventId()).bind("last", seal.lastEventId()).bind("count", seal.rowCount())
                .bind("lastAt", Rows.time(seal.lastAt())).bind("digest", ByteBuffer.wrap(seal.digest()))
                .bind("mac", ByteBuffer.wrap(seal.mac())).bind("sealedAt", Rows.time(seal.sealedAt()))
                .bind("format", (short) seal.format()).then());
    }

    @Override
    public Mono<Long> countAfter(String tenantId, long afterId) {
        return stores.postgres(db.sql(COUNT_AFTER).bind("tenant", tenantId).bind("after", afterId)
                .map(row -> Rows.number(row, "n")).one());
    }

    @Override
    public Mono<Long> purge(Seal seal, Instant now) {
        return stores.postgres(db.sql(MARK_PURGED).bind("tenant", seal.tenantId()).bind("no", seal.blockNo())
                        .bind("now", Rows.time(now)).fetch().rowsUpdated())
                .flatMap(marked -> marked == 0 ? Mono.just(0L)
                        : stores.postgres(db.sql(PURGE_ROWS).bind("tenant", seal.tenantId())
                                .bind("first", seal.firstEventId()).bind("last", seal.lastEventId())
                                .fetch().rowsUpdated()));
    }
}
