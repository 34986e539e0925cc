package jp.otpgateway.gateway.shared.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Period;
import java.time.YearMonth;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TimePartitionsTest {

    static final TimePartitions AUDIT = new TimePartitions("audit_events", "occurred_at",
            TimePartitions.ColumnType.TIMESTAMPTZ, 3, Optional.empty());
    static final TimePartitions TRANSACTIONS = new TimePartitions("transactions", "business_date",
            TimePartitions.ColumnType.DATE, 3, Optional.of(Period.ofMonths(13)));
    static final YearMonth DEC = YearMonth.of(2026, 12);

    @Test
    void aMonthsPartitionIsNamedAndBoundedByItsMonthInUtc() {
        assertThat(AUDIT.partition(DEC)).isEqualTo("audit_events_p2026_12");
        assertThat(AUDIT.from(DEC)).isEqualTo("2026-12-01 00:00:00+00");
        assertThat(AUDIT.to(DEC)).isEqualTo("2027-01-01 00:00:00+00");
        assertThat(TRANSACTIONS.from(DEC)).isEqualTo("2026-12-01");
        assertThat(TRANSACTIONS.to(DEC)).isEqualTo("2027-01-01");
        assertThat(AUDIT.monthOf("audit_events_p2026_12")).contains(DEC);
        assertThat(AUDIT.monthOf("audit_events_default")).isEmpty();
        assertThat(AUDIT.monthOf("transactions_p2026_12")).isEmpty();
        assertThat(AUDIT.monthOf("audit_events_p2026_12_old")).isEmpty();
    }

    @Test
    void theCurrentMonthAndThreeAheadAreMadeAndEveryMonthTheDefaultHoldsRowsOf() {
        assertThat(AUDIT.toCreate(Set.of(), DEC, Set.of())).containsExactly(DEC, DEC.plusMonths(1), DEC.plusMonths(2),
                DEC.plusMonths(3));
        assertThat(AUDIT.toCreate(Set.of(DEC, DEC.plusMonths(1)), DEC, Set.of(YearMonth.of(2001, 4))))
                .containsExactly(YearMonth.of(2001, 4), DEC.plusMonths(2), DEC.plusMonths(3));
        assertThat(AUDIT.toCreate(Set.of(DEC, DEC.plusMonths(1), DEC.plusMonths(2), DEC.plusMonths(3)), DEC, Set.of()))
                .isEmpty();
    }

    @Test
    void transactionsGoWhenTheWholeMonthIsOlderThanTheirKeeping() {
        // kept 13 months: on any day of 2026-12, the month 2025-10 ended before 2025-11-01 = 2026-12-01 − 13 months
        assertThat(TRANSACTIONS.droppable(YearMonth.of(2025, 10), DEC, false)).isTrue();
        assertThat(TRANSACTIONS.droppable(YearMonth.of(2025, 11), DEC, false)).isFalse();
        assertThat(TRANSACTIONS.droppable(DEC, DEC, true)).isFalse();
    }

    @Test
    void auditMonthsGoOnlyOnceThePurgeHasEmptiedThemAndTheyAreOver() {
        assertThat(AUDIT.droppable(YearMonth.of(2016, 1), DEC, false)).isFalse();
        assertThat(AUDIT.droppable(YearMonth.of(2016, 1), DEC, true)).isTrue();
        assertThat(AUDIT.droppable(DEC, DEC, true)).as("the current month stays even when empty").isFalse();
        assertThat(AUDIT.droppable(DEC.plusMonths(1), DEC, true)).isFalse();
    }

    @Test
    void namesThatWouldGoIntoDdlArePlainIdentifiers() {
        assertThatThrownBy(() -> new TimePartitions("audit_events; DROP TABLE tokens", "occurred_at",
                TimePartitions.ColumnType.DATE, 3, Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TimePartitions("transactions", "business_date", TimePartitions.ColumnType.DATE, 0,
                Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TimePartitions("transactions", "business_date", TimePartitions.ColumnType.DATE, 3,
                Optional.of(Period.ofDays(10)))).isInstanceOf(IllegalArgumentException.class);
    }
}
