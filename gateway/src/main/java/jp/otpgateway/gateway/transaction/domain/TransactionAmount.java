package jp.otpgateway.gateway.transaction.domain;

import java.math.BigInteger;
import jp.otpgateway.gateway.shared.domain.FieldViolation;
import jp.otpgateway.gateway.shared.domain.Validation;

/**
 * The {@code amount} of a transaction: whole yen as a JSON integer, 1 … 10^13 for money movement,
 * 0 … 10^13 (absent = 0) otherwise. Fractions, exponent notation and strings are refused, not
 * rounded: a portal that sends them has a bug the bank must see.
 */
public final class TransactionAmount {

    public static final long MAX = 10_000_000_000_000L;

    /** How the JSON value was written; the web adapter reads it without converting anything. */
    public enum Kind { ABSENT, INTEGER, NOT_INTEGER, NOT_A_NUMBER }

    /** {@code value} is set for {@link Kind#INTEGER} only. */
    public record Raw(Kind kind, BigInteger value) {

        public static Raw absent() {
            return new Raw(Kind.ABSENT, null);
        }

        public static Raw integer(BigInteger value) {
            return new Raw(Kind.INTEGER, value);
        }
    }

    private TransactionAmount() {
    }

    /** The amount in yen, or -1 with a violation added to {@code v}. */
    public static long read(Validation v, String field, Raw raw, boolean moneyMovement) {
        switch (raw.kind()) {
            case ABSENT -> {
                if (!moneyMovement) {
                    return 0;
                }
                v.add(new FieldViolation(field, FieldViolation.REQUIRED, "金額を入力してください。"));
                return -1;
            }
            case NOT_INTEGER -> {
                v.add(new FieldViolation(field, FieldViolation.INVALID_FORMAT,
                        "金額は円単位の整数で指定してください（小数・指数表記は使用できません）。"));
                return -1;
            }
            case NOT_A_NUMBER -> {
                v.add(new FieldViolation(field, FieldViolation.INVALID_FORMAT,
                        "金額は数値（円単位の整数）で指定してください。"));
                return -1;
            }
            case INTEGER -> {
                long min = moneyMovement ? 1 : 0;
                BigInteger value = raw.value();
                if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(MAX)) > 0) {
                    v.add(new FieldViolation(field, FieldViolation.INVALID_VALUE,
                            "金額は" + min + "円以上10,000,000,000,000円以下で指定してください。"));
                    return -1;
                }
                return value.longValueExact();
            }
            default -> throw new IllegalStateException("unknown amount kind " + raw.kind());
        }
    }
}
