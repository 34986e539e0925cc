package jp.otpgateway.gateway.shared.adapter.web;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** docs/api.md: times are ISO-8601 with offset, rendered in the tenant's zone (Asia/Tokyo): {@code 2027-09-30T08:00:00+09:00}. */
public final class ApiTime {

    private ApiTime() {
    }

    public static String format(Instant instant, ZoneId zone) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.truncatedTo(ChronoUnit.SECONDS).atZone(zone));
    }
}
