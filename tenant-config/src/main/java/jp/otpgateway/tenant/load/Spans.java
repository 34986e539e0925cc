package jp.otpgateway.tenant.load;

import java.time.Duration;
import java.time.Period;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as tenant administrators write them: {@code 60s}, {@code 30m}, {@code 12h}, {@code 90d}, {@code 5y}. */
final class Spans {

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,6})(s|m|h|d)");
    private static final Pattern PERIOD = Pattern.compile("([0-9]{1,4})(d|y)");

    private Spans() {
    }

    static Optional<Duration> duration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        });
    }

    /** Calendar spans (token validity): years stay calendar years, so 5y from 29 Feb is 28 Feb. */
    static Optional<Period> period(String text) {
        Matcher m = PERIOD.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        int n = Integer.parseInt(m.group(1));
        return Optional.of(m.group(2).equals("y") ? Period.ofYears(n) : Period.ofDays(n));
    }

    static String format(Duration d) {
        long s = d.getSeconds();
        if (s == 0) {
            return "0s";
        }
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
