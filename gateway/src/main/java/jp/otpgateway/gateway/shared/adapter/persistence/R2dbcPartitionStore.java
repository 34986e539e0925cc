package jp.otpgateway.gateway.shared.adapter.persistence;

import java.time.LocalDate;
import java.time.YearMonth;
import jp.otpgateway.gateway.shared.application.port.PartitionStore;
import jp.otpgateway.gateway.shared.domain.TimePartitions;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The partitions in PostgreSQL (migration V17). DDL takes no bind parameters: every name and bound
 * written into a statement comes from TimePartitions (table names fixed in code, bounds from a
 * YearMonth), never from a request. A partition is made under a lock wait of at most 5 s
 * (lock_timeout; attaching does not block inserts into the other months) and dropped under one of
 * 500 ms, so a long query on the table delays maintenance, not the requests.
 */
@Component
public class R2dbcPartitionStore implements PartitionStore {

    private final DatabaseClient db;
    private final TransactionalOperator transaction;

    public R2dbcPartitionStore(DatabaseClient db, TransactionalOperator transaction) {
        this.db = db;
        this.transaction = transaction;
    }

    @Override
    public Flux<String> partitions(TimePartitions table) {
        return db.sql("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = to_regclass(:parent)
                """).bind("parent", table.table()).map(row -> row.get(0, String.class)).all();
    }

    @Override
    public Flux<YearMonth> monthsInDefault(TimePartitions table) {
        String month = table.type() == TimePartitions.ColumnType.DATE
                ? "date_trunc('month', " + table.column() + ")::date"
                : "date_trunc('month', " + table.column() + " AT TIME ZONE 'UTC')::date";
        return db.sql("SELECT DISTINCT " + month + " FROM " + table.defaultPartition())
                .map(row -> YearMonth.from(row.get(0, LocalDate.class))).all();
    }

    @Override
    public Mono<Long> create(TimePartitions table, YearMonth month) {
        String name = table.partition(month);
        String from = "'" + table.from(month) + "'";
        String to = "'" + table.to(month) + "'";
        Mono<Long> steps = tableLock(table)
                .flatMap(locked -> !locked ? Mono.just(-1L) : exists(name).flatMap(there -> there ? Mono.just(-1L)
                        : db.sql("SET LOCAL lock_timeout = '5s'").then()
                        .then(db.sql("CREATE TABLE " + name + " (LIKE " + table.table()
                                + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS)").then())
                        .then(db.sql("WITH moved AS (DELETE FROM " + table.defaultPartition() + " WHERE "
                                + table.column() + " >= " + from + " AND " + table.column() + " < " + to
                                + " RETURNING *) INSERT INTO " + name + " SELECT * FROM moved").fetch().rowsUpdated())
                        .flatMap(moved -> db.sql("ALTER TABLE " + table.table() + " ATTACH PARTITION " + name
                                + " FOR VALUES FROM (" + from + ") TO (" + to + ")").then().thenReturn(moved))));
        return transaction.transactional(steps);
    }

    /**
     * One instance at a time changes a table's partitions: two making different months at once
     * deadlocked on the default partition (each moving rows out of it, then attaching; seen in
     * TimePartitionsIT). The other instance leaves it to this one.
     */
    private Mono<Boolean> tableLock(TimePartitions table) {
        return db.sql("SELECT pg_try_advisory_xact_lock(hashtext(:key))").bind("key", "partitions:" + table.table())
                .map(row -> row.get(0, Boolean.class)).one();
    }

    private Mono<Boolean> exists(String name) {
        return db.sql("SELECT to_regclass(:name) IS NOT NULL").bind("name", name).map(row -> row.get(0, Boolean.class)).one();
    }

    @Override
    public Mono<Boolean> isEmpty(TimePartitions table, YearMonth month) {
        return db.sql("SELECT NOT EXISTS (SELECT 1 FROM " + table.partition(month) + ")")
                .map(row -> row.get(0, Boolean.class)).one();
    }

    @Override
    public Mono<Boolean> drop(TimePartitions table, YearMonth month) {
        // Dropping a partition takes the parent's ACCESS EXCLUSIVE lock for a moment: inserts queue behind
        // a waiting request, so it waits at most half a second and otherwise tries again at the next run.
        Mono<Boolean> steps = tableLock(table).flatMap(locked -> !locked ? Mono.just(false)
                : db.sql("SET LOCAL lock_timeout = '500ms'").then()
                        .then(db.sql("DROP TABLE IF EXISTS " + table.partition(month)).then())
                        .thenReturn(true));
        return transaction.transactional(steps).onErrorResume(R2dbcPartitionStore::lockNotHad, e -> Mono.just(false));
    }

    /** SQLSTATE 55P03 lock_not_available (lock_timeout ran out), wherever Spring wrapped it. */
    static boolean lockNotHad(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.r2dbc.spi.R2dbcException r && "55P03".equals(r.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
