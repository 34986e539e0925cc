package jp.otpgateway.gateway.shared.adapter.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import jp.otpgateway.gateway.shared.adapter.schedule.PartitionJobs;
import jp.otpgateway.gateway.shared.application.KeepingPartitions;
import jp.otpgateway.gateway.shared.domain.TimePartitions;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The monthly partitions of audit_events and transactions (V17) against the real PostgreSQL: made
 * ahead, stray rows moved out of the default partition with their IDs, past months dropped by their
 * rule, two instances keeping them at once. Rows of the tenant "it-partitions" only (no tenant file:
 * nothing else reads them).
 */
@IntegrationTest
class TimePartitionsIT {

    static final String TENANT = "it-partitions";

    @Autowired
    DatabaseClient db;

    @Autowired
    R2dbcPartitionStore store;

    @Autowired
    TestClock clock;

    final List<TimePartitions> tables = PartitionJobs.tables(3, Period.ofMonths(13));
    final TimePartitions audit = tables.get(0);
    final TimePartitions transactions = tables.get(1);

    @AfterEach
    void cleanUp() {
        db.sql("DELETE FROM audit_events WHERE tenant_id = :t").bind("t", TENANT).then().block();
        db.sql("DELETE FROM transactions WHERE tenant_id = :t").bind("t", TENANT).then().block();
        keeping().keep(tables).blockLast();
        clock.reset();
    }

    KeepingPartitions keeping() {
        return new KeepingPartitions(store, clock);
    }

    YearMonth current() {
        return YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
    }

    Set<String> partitions(TimePartitions t) {
        return Set.copyOf(store.partitions(t).collectList().block());
    }

    String partitionOfAuditRow(long id) {
        return db.sql("SELECT tableoid::regclass::text FROM audit_events WHERE tenant_id = :t AND event_id = :id")
                .bind("t", TENANT).bind("id", id).map(r -> r.get(0, String.class)).one().block();
    }

    long strayAuditEvent(String at) {
        return db.sql("""
                INSERT INTO audit_events (tenant_id, occurred_at, login_id, operation, outcome, client)
                VALUES (:t, CAST(:at AS timestamptz), 'partition-probe', 'LOGIN', 'ACCEPTED', 'test') RETURNING event_id
                """).bind("t", TENANT).bind("at", at).map(r -> r.get(0, Long.class)).one().block();
    }

    void transaction(LocalDate day) {
        db.sql("""
                INSERT INTO transactions (tenant_id, login_id, type, amount, payee_registered, otp_verified, charged,
                                          business_date, decided_at, client)
                VALUES (:t, 'partition-probe', 'TRANSFER', 1000, false, true, false, :d, now(), 'test')
                """).bind("t", TENANT).bind("d", day).then().block();
    }

    long transactionsOf(LocalDate day) {
        return db.sql("SELECT count(*) FROM transactions WHERE tenant_id = :t AND business_date = :d")
                .bind("t", TENANT).bind("d", day).map(r -> r.get(0, Long.class)).one().block();
    }

    @Test
    void theCurrentMonthAndThreeAheadExistAndNewRowsLandInTheirMonth() {
        keeping().keep(tables).blockLast();
        for (TimePartitions t : tables) {
            for (int i = 0; i <= 3; i++) {
                assertThat(partitions(t)).contains(t.partition(current().plusMonths(i)));
            }
            assertThat(partitions(t)).contains(t.defaultPartition());
        }
        long id = strayAuditEvent(clock.instant().toString());
        assertThat(partitionOfAuditRow(id)).isEqualTo(audit.partition(current()));
    }

    @Test
    void aStrayAuditRowMovesToItsMonthWithItsIdAndTheMonthGoesOnceThePurgeHasEmptiedIt() {
        long id = strayAuditEvent("2001-04-01T09:00:00+09:00");
        assertThat(partitionOfAuditRow(id)).isEqualTo("audit_events_default");

        List<KeepingPartitions.Run> runs = keeping().keep(tables).collectList().block();
        assertThat(runs.get(0).created()).contains(YearMonth.of(2001, 4));
        assertThat(runs.get(0).rowsMoved()).isGreaterThanOrEqualTo(1);
        assertThat(partitionOfAuditRow(id)).as("moved, same event_id").isEqualTo("audit_events_p2001_04");
        assertThat(runs.get(0).dropped()).as("not empty: kept").doesNotContain(YearMonth.of(2001, 4));

        db.sql("DELETE FROM audit_events WHERE tenant_id = :t AND event_id = :id").bind("t", TENANT).bind("id", id)
                .then().block();
        List<KeepingPartitions.Run> after = keeping().keep(tables).collectList().block();
        assertThat(after.get(0).dropped()).contains(YearMonth.of(2001, 4));
        assertThat(partitions(audit)).doesNotContain("audit_events_p2001_04");
    }

    @Test
    void transactionsOlderThanTheirKeepingLeaveWithTheirMonthAndYoungerOnesStay() {
        LocalDate twoYearsAgo = LocalDate.now(ZoneOffset.UTC).minusYears(2);
        LocalDate twoMonthsAgo = LocalDate.now(ZoneOffset.UTC).minusMonths(2);
        transaction(twoYearsAgo);
        transaction(twoMonthsAgo);
        keeping().keep(tables).blockLast();
        assertThat(transactionsOf(twoYearsAgo)).as("its month made, filled and dropped").isZero();
        assertThat(partitions(transactions)).doesNotContain(transactions.partition(YearMonth.from(twoYearsAgo)));
        assertThat(transactionsOf(twoMonthsAgo)).isEqualTo(1);
        assertThat(partitions(transactions)).contains(transactions.partition(YearMonth.from(twoMonthsAgo)));
    }

    @Test
    void twoInstancesKeepingAtOnceMakeEachPartitionOnceAndLoseNoRow() throws InterruptedException {
        long a = strayAuditEvent("2003-07-15T00:00:00Z");
        long b = strayAuditEvent("2003-08-15T00:00:00Z");
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Set<YearMonth> made = ConcurrentHashMap.newKeySet();
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<Thread> instances = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    keeping().keep(audit).map(KeepingPartitions.Run::created).blockOptional().ifPresent(made::addAll);
                } catch (RuntimeException | InterruptedException e) {
                    failures.add(e);
                }
            });
            t.start();
            instances.add(t);
        }
        start.countDown();
        for (Thread t : instances) {
            t.join(60_000);
        }
        assertThat(failures).isEmpty();
        assertThat(partitionOfAuditRow(a)).isEqualTo("audit_events_p2003_07");
        assertThat(partitionOfAuditRow(b)).isEqualTo("audit_events_p2003_08");
        assertThat(made).contains(YearMonth.of(2003, 7), YearMonth.of(2003, 8));
        assertThat(db.sql("SELECT count(*) FROM audit_events WHERE tenant_id = :t").bind("t", TENANT)
                .map(r -> r.get(0, Long.class)).one().block()).isEqualTo(2);
    }
}
