package jp.otpgateway.gateway.transaction.domain;

import java.util.Optional;
import jp.otpgateway.gateway.shared.domain.Identifiers;
import jp.otpgateway.gateway.verification.domain.OtpFields;
import jp.otpgateway.gateway.shared.domain.FieldViolation;
import jp.otpgateway.gateway.shared.domain.Validation;
import jp.otpgateway.tenant.model.OperationPolicy;
import jp.otpgateway.tenant.model.TenantConfig;

/**
 * A portal asks whether it may execute one banking operation (POST …/transactions); valid once
 * constructed through {@link #of}. Every field is checked before any store is touched.
 */
public record TransactionCommand(String loginId, OperationPolicy operation, long amount, boolean payeeRegistered,
                                 Optional<String> otp, String client, Optional<String> requestKey) {

    /**
     * The same command sent with {@code Idempotency-Key: key}: an approval keeps the key, and a retry
     * that acts again after its first instance died finds that approval instead of making a second.
     */
    public TransactionCommand withRequestKey(Optional<String> key) {
        return new TransactionCommand(loginId, operation, amount, payeeRegistered, otp, client, key);
    }

    /** How a JSON boolean was written: absent means false; anything but true/false is refused. */
    public enum Flag { ABSENT, TRUE, FALSE, NOT_A_BOOLEAN }

    public static TransactionCommand of(TenantConfig tenant, String loginId, String type, TransactionAmount.Raw amount,
                                        Flag payeeRegistered, String otp, String client) {
        Validation v = new Validation();
        String login = Identifiers.loginId(v, "loginId", loginId);
        String name = OtpFields.operation(v, "type", type, tenant.operations().keySet());
        OperationPolicy operation = name == null ? null : tenant.operation(name).orElseThrow();
        long yen = TransactionAmount.read(v, "amount", amount, operation != null && operation.moneyMovement());
        if (payeeRegistered == Flag.NOT_A_BOOLEAN) {
            v.add(new FieldViolation("payeeRegistered", FieldViolation.INVALID_FORMAT,
                    "登録済み振込先かどうかは true または false で指定してください。"));
        }
        Optional<String> code = OtpFields.optionalOtp(v, "otp", otp, tenant.otp().normalizeFullWidthDigits());
        v.throwIfAny();
        return new TransactionCommand(login, operation, yen, payeeRegistered == Flag.TRUE, code, client, Optional.empty());
    }
}
