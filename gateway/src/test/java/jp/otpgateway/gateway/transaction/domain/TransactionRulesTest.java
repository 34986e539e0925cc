package jp.otpgateway.gateway.transaction.domain;

import jp.otpgateway.gateway.shared.domain.DailyLimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.gateway.lifecycle.domain.OtpStatus;
import jp.otpgateway.tenant.model.OperationPolicy;
import jp.otpgateway.tenant.model.WithoutOtp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class TransactionRulesTest {

    static final OperationPolicy TRANSFER = new OperationPolicy("TRANSFER", true, true, false);
    static final OperationPolicy TRANSFER_EXEMPT = new OperationPolicy("TRANSFER", true, true, true);
    static final OperationPolicy INFO_CHANGE = new OperationPolicy("CUSTOMER_INFO_CHANGE", true, false, false);
    static final OperationPolicy LOGIN_FREE = new OperationPolicy("LOGIN", false, false, false);
    static final WithoutOtp ALLOW = new WithoutOtp(200_000, WithoutOtp.NonMoneyPolicy.ALLOW);
    static final WithoutOtp DENY = new WithoutOtp(200_000, WithoutOtp.NonMoneyPolicy.DENY);
    static final Optional<Refusal> NONE = Optional.empty();
    static final Optional<Refusal> LOCKED = Optional.of(Refusal.of(Refusal.Reason.OTP_LOCKED, "locked"));
    static final Optional<Refusal> REVOKED = Optional.of(Refusal.of(Refusal.Reason.TOKEN_REVOKED, "revoked"));

    @Test
    void activeUserWithoutACodeIsAskedForOne() {
        assertThat(refusal(TransactionRules.decide(TRANSFER, false, OtpStatus.ACTIVE, NONE, false, ALLOW)))
                .isEqualTo(Refusal.Reason.OTP_REQUIRED);
    }

    @Test
    void activeUserWithACodeGoesToVerification() {
        assertThat(TransactionRules.decide(TRANSFER, false, OtpStatus.ACTIVE, NONE, true, ALLOW))
                .isInstanceOf(TransactionDecision.VerifyOtp.class);
    }

    @Test
    void registeredPayeeIsExemptOnlyWhereTheTenantSaysSo() {
        assertThat(TransactionRules.decide(TRANSFER_EXEMPT, true, OtpStatus.ACTIVE, NONE, false, ALLOW))
                .isInstanceOf(TransactionDecision.Approve.class);
        assertThat(refusal(TransactionRules.decide(TRANSFER_EXEMPT, false, OtpStatus.ACTIVE, NONE, false, ALLOW)))
                .isEqualTo(Refusal.Reason.OTP_REQUIRED);
        assertThat(refusal(TransactionRules.decide(TRANSFER, true, OtpStatus.ACTIVE, NONE, false, ALLOW)))
                .isEqualTo(Refusal.Reason.OTP_REQUIRED);
    }

    @Test
    void operationWithoutOtpIsApprovedForAnActiveUser() {
        assertThat(TransactionRules.decide(LOGIN_FREE, false, OtpStatus.ACTIVE, NONE, false, ALLOW))
                .isInstanceOf(TransactionDecision.Approve.class);
    }

    @ParameterizedTest
    @EnumSource(value = OtpStatus.class, names = {"UNREGISTERED", "ISSUED", "REVOKED", "EXPIRED"})
    void moneyMovementWithoutActiveOtpIsChargedAgainstTheFallbackLimit(OtpStatus status) {
        assertThat(TransactionRules.decide(TRANSFER, false, status, NONE, false, ALLOW))
                .isEqualTo(new TransactionDecision.ChargeLimit(200_000));
        // 004: 1日の振込限度額を20万円に制限 covers registered payees too, and a code given anyway changes nothing.
        assertThat(TransactionRules.decide(TRANSFER_EXEMPT, true, status, NONE, true, ALLOW))
                .isEqualTo(new TransactionDecision.ChargeLimit(200_000));
    }

    @Test
    void nonMoneyOperationWithoutOtpFollowsTheTenantPolicy() {
        assertThat(TransactionRules.decide(INFO_CHANGE, false, OtpStatus.UNREGISTERED, NONE, false, ALLOW))
                .isInstanceOf(TransactionDecision.Approve.class);
        assertThat(refusal(TransactionRules.decide(INFO_CHANGE, false, OtpStatus.REVOKED, NONE, false, DENY)))
                .isEqualTo(Refusal.Reason.OTP_NOT_ACTIVE);
        assertThat(TransactionRules.decide(LOGIN_FREE, false, OtpStatus.UNREGISTERED, NONE, false, DENY))
                .isInstanceOf(TransactionDecision.Approve.class);
    }

    @ParameterizedTest
    @CsvSource({"true,true,LOCKED", "true,false,LOCKED", "false,false,LOCKED", "true,false,EXPIRED", "false,false,EXPIRED"})
    void lockedUserIsRefusedWhateverTheOperationAlsoOnceTheTokenShowsExpired(boolean money, boolean otpGiven,
                                                                              OtpStatus status) {
        OperationPolicy operation = money ? TRANSFER_EXEMPT : LOGIN_FREE;
        assertThat(refusal(TransactionRules.decide(operation, true, status, LOCKED, otpGiven, ALLOW)))
                .isEqualTo(Refusal.Reason.OTP_LOCKED);
    }

    @ParameterizedTest
    @CsvSource({"REVOKED,TRANSFER", "REVOKED,LOGIN", "REVOKED,CUSTOMER_INFO_CHANGE", "ISSUED,TRANSFER", "ISSUED,LOGIN"})
    void revokedUserIsRefusedEverythingAlsoWithANewTokenOnItsWay(OtpStatus status, String name) {
        OperationPolicy operation = switch (name) {
            case "TRANSFER" -> TRANSFER_EXEMPT;
            case "LOGIN" -> LOGIN_FREE;
            default -> INFO_CHANGE;
        };
        assertThat(refusal(TransactionRules.decide(operation, true, status, REVOKED, false, ALLOW)))
                .isEqualTo(Refusal.Reason.TOKEN_REVOKED);
    }

    @Test
    void theLimitDayIsTheCalendarDayInTokyo() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        assertThat(TransactionRules.businessDate(Instant.parse("2026-11-21T14:59:59Z"), tokyo))
                .isEqualTo(LocalDate.of(2026, 11, 21));
        assertThat(TransactionRules.businessDate(Instant.parse("2026-11-21T15:00:00Z"), tokyo))
                .isEqualTo(LocalDate.of(2026, 11, 22));
    }

    @Test
    void dailyLimitAllowsExactlyWhatRemains() {
        DailyLimit limit = new DailyLimit(200_000, 150_000);
        assertThat(limit.remaining()).isEqualTo(50_000);
        assertThat(limit.allows(50_000)).isTrue();
        assertThat(limit.allows(50_001)).isFalse();
        assertThat(new DailyLimit(100_000, 150_000).remaining()).isZero();
    }

    private static Refusal.Reason refusal(TransactionDecision decision) {
        assertThat(decision).isInstanceOf(TransactionDecision.Refuse.class);
        return ((TransactionDecision.Refuse) decision).refusal().reason();
    }
}
