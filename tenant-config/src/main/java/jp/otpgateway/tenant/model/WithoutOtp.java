package jp.otpgateway.tenant.model;

/** R10: what a user without an active OTP may still do. */
public record WithoutOtp(long dailyTransferLimit, NonMoneyPolicy nonMoneyOperations) {

    public enum NonMoneyPolicy { ALLOW, DENY }
}
