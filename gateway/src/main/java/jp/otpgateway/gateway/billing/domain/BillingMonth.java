package jp.otpgateway.gateway.billing.domain;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;

/**
 * A calendar month in the tenant's zone (R15: 月額), from 00:00 of its first day to 00:00 of the
 * next month's first day, and the day its statement is due (毎月１０日: the tenant's billingDay of
 * the next month, 00:00).
 */
public record BillingMonth(YearMonth month, ZoneId zone) {

    public Instant start() {
        return month.atDay(1).atStartOfDay(zone).toInstant();
    }

    public Instant end() {
        return month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    }

    /** When the monthly job closes this month on its own. */
    public Instant closingDue(int billingDay) {
        return month.plusMonths(1).atDay(billingDay).atStartOfDay(zone).toInstant();
    }

    /** A month may be closed (early, on request) once it has begun. */
    public boolean begunAt(Instant now) {
        return !now.isBefore(start());
    }

    public BillingMonth previous() {
        return new BillingMonth(month.minusMonths(1), zone);
    }

    public static BillingMonth of(Instant at, ZoneId zone) {
        return new BillingMonth(YearMonth.from(at.atZone(zone)), zone);
    }
}
