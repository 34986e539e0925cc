package jp.otpgateway.gateway.lifecycle.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.otpgateway.tenant.model.Fees;
import jp.otpgateway.tenant.model.Limits;
import jp.otpgateway.tenant.model.Lockout;
import jp.otpgateway.tenant.model.Notifications;
import jp.otpgateway.tenant.model.OtpSettings;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.TokenKind;
import jp.otpgateway.tenant.model.Tokens;
import jp.otpgateway.tenant.model.UserRole;
import jp.otpgateway.tenant.model.WithoutOtp;

/** A tenant with the manuals' defaults and tokens as the lifecycle rules see them. */
public final class LifecycleFixtures {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    private LifecycleFixtures() {
    }

    static Tokens tokens(Duration cooldown, LocalTime windowFrom, LocalTime windowTo) {
        return new Tokens(Set.of(TokenKind.HARDWARE, TokenKind.SOFTWARE),
                new Tokens.Hardware(true, Duration.ofDays(90), Period.ofYears(5)),
                new Tokens.Software(Period.ofYears(5), 4, 8, 5, true, java.util.Optional.empty()),
                true, cooldown, new Tokens.DailyWindow(windowFrom, windowTo));
    }

    public static TenantConfig tenant() {
        return new TenantConfig("t-unit", "単体テスト信用組合", TOKYO, OtpSettings.DEFAULTS,
                new Lockout(5, Set.of(UserRole.MASTER, UserRole.ADMIN), true), Map.of(),
                new WithoutOtp(200_000, WithoutOtp.NonMoneyPolicy.ALLOW),
                tokens(Duration.ofMinutes(30), LocalTime.of(2, 59), LocalTime.of(3, 10)),
                new Notifications(List.of(90, 30, 7), "otp@example.jp"), new Fees(1, 110, 2200, 10), List.of(),
                new Limits(500, 200));
    }

    static Holding active(String serial, Instant expiresAt) {
        return new Holding(serial, TokenKind.HARDWARE, AssignmentState.ACTIVE, expiresAt, false, Optional.empty());
    }

    static Holding revoked(String serial, Instant expiresAt, Instant revokedAt) {
        return new Holding(serial, TokenKind.HARDWARE, AssignmentState.REVOKED, expiresAt, false, Optional.of(revokedAt));
    }
}
