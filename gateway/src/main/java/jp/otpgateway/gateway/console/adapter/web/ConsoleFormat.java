package jp.otpgateway.gateway.console.adapter.web;

import java.text.NumberFormat;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** How the pages write the API's values for people ({@code ${@consoleFormat.time(…)}} in the templates). */
@Component("consoleFormat")
public class ConsoleFormat {

    /** {@code 2026-12-06T16:20:22+09:00} → {@code 2026-12-06 16:20:22}; the API renders times in the tenant's zone. */
    public String time(Object iso) {
        if (iso == null) {
            return "";
        }
        String s = iso.toString();
        int plus = Math.max(s.lastIndexOf('+'), s.indexOf('Z'));
        String local = plus > 10 ? s.substring(0, plus) : s;
        return local.replace('T', ' ');
    }

    /** A day of an ISO time: {@code 2031-03-31T23:59:59+09:00} → {@code 2031-03-31}. */
    public String day(Object iso) {
        String t = time(iso);
        return t.length() >= 10 ? t.substring(0, 10) : t;
    }

    /** Yen with thousands separators: 2310 → ¥2,310. */
    public String yen(Object amount) {
        if (!(amount instanceof Number n)) {
            return "";
        }
        return "¥" + NumberFormat.getIntegerInstance(Locale.JAPAN).format(n.longValue());
    }
}
