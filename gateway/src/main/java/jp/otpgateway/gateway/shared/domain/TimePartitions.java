package jp.otpgateway.gateway.shared.domain;

import java.time.Period;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table partitioned by month on a time column (PostgreSQL native range partitions, migration V17),
 * and the rules for its partitions:
 * <ul>
 * <li>a partition per calendar month (UTC), named {@code <table>_pYYYY_MM}, holding
 * {@code [first day, first day of the next month)};</li>
 * <li>partitions exist from the current month to {@link #monthsAhead} months ahead, and for every
 * month the default partition holds rows of (rows that arrived while their month had no partition
 * yet, or rows of the table before it was partitioned): such rows are moved into their month's
 * partition, so the default partition stays empty;</li>
 * <li>a past partition is dropped when its whole month is older than {@code keep} (a table whose rows
 * expire by time: transactions), or, for a table whose rows are purged one by one by other rules
 * (the audit events, by sealed block and the tenant's retention), once it is empty and its month
 * is over.</li>
 * </ul>
 */
public record TimePartitions(String table, String column, ColumnType type, int monthsAhead, Optional<Period> keep) {

    /** The partition column's type: the bounds are written for it. */
    public enum ColumnType { DATE, TIMESTAMPTZ }

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,40}");
    private static final Pattern NAME = Pattern.compile("_p(\\d{4})_(\\d{2})$");

    public TimePartitions {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(keep, "keep");
        if (!IDENTIFIER.matcher(table).matches() || !IDENTIFIER.matcher(column).matches()) {
            // the names are written into DDL (which takes no parameters): plain identifiers only
            throw new IllegalArgumentException("table and column must be plain identifiers: " + table + "." + column);
        }
        if (monthsAhead < 1 || monthsAhead > 24) {
            throw new IllegalArgumentException("monthsAhead must be 1–24, was " + monthsAhead);
        }
        keep.ifPresent(k -> {
            if (k.isNegative() || k.isZero() || k.toTotalMonths() < 1) {
                throw new IllegalArgumentException("keep must be at least a month, was " + k);
            }
        });
    }

    public String partition(YearMonth month) {
        return String.format("%s_p%04d_%02d", table, month.getYear(), month.getMonthValue());
    }

    public String defaultPartition() {
        return table + "_default";
    }

    /** The month of one of this table's partition names; empty for any other name (the default too). */
    public Optional<YearMonth> monthOf(String partitionName) {
        if (!partitionName.startsWith(table + "_p")) {
            return Optional.empty();
        }
        Matcher m = NAME.matcher(partitionName);
        if (!m.find() || m.start() != table.length()) {
            return Optional.empty();
        }
        return Optional.of(YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
    }

    /** The lower bound (inclusive) of a month's partition, as a literal of the column's type. */
    public String from(YearMonth month) {
        return bound(month);
    }

    /** The upper bound (exclusive). */
    public String to(YearMonth month) {
        return bound(month.plusMonths(1));
    }

    private String bound(YearMonth month) {
        String day = month.atDay(1).toString();
        return type == ColumnType.DATE ? day : day + " 00:00:00+00";
    }

    /**
     * The months whose partitions are to be made, oldest first: the current month to
     * {@link #monthsAhead} ahead, and every month the default partition holds rows of, less those
     * that exist (a stray month past {@code keep} is made, filled and dropped in the same run).
     */
    public List<YearMonth> toCreate(Set<YearMonth> existing, YearMonth current, Set<YearMonth> inDefault) {
        TreeSet<YearMonth> wanted = new TreeSet<>(inDefault);
        for (int i = 0; i <= monthsAhead; i++) {
            wanted.add(current.plusMonths(i));
        }
        wanted.removeAll(existing);
        return new ArrayList<>(wanted);
    }

    /**
     * Whether a month's partition goes: its month is over and either past {@code keep} (the whole
     * month older than the current month's start less {@code keep}), or, without {@code keep}, empty.
     */
    public boolean droppable(YearMonth month, YearMonth current, boolean empty) {
        if (!month.isBefore(current)) {
            return false;
        }
        return keep.map(k -> !month.plusMonths(1).isAfter(current.minus(k))).orElse(empty);
    }
}
