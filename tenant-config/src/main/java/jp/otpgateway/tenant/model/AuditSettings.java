package jp.otpgateway.tenant.model;

import java.time.Period;
import java.util.Objects;

/**
 * The audit trail's keeping. {@code retention}: how long sealed blocks of audit events are kept
 * before the purge removes them (default 10 years: 会社法 and the 商法 keep business records and
 * their evidence for ten years, the longest period a Japanese credit union's examiners ask for).
 */
public record AuditSettings(Period retention) {

    public static final AuditSettings DEFAULTS = new AuditSettings(Period.ofYears(10));

    public AuditSettings {
        Objects.requireNonNull(retention, "retention");
    }
}
