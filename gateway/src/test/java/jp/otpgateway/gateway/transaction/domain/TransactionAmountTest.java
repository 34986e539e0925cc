package jp.otpgateway.gateway.transaction.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import jp.otpgateway.gateway.shared.domain.FieldViolation;
import jp.otpgateway.gateway.shared.domain.InvalidInput;
import jp.otpgateway.gateway.shared.domain.Validation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransactionAmountTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 50_000, 10_000_000_000_000L})
    void wholeYenInRangeIsRead(long yen) {
        assertThat(read(TransactionAmount.Raw.integer(BigInteger.valueOf(yen)), true)).isEqualTo(yen);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "10000000000001", "99999999999999999999999"})
    void moneyOutsideOneToTenTrillionIsRefused(String yen) {
        assertThat(violation(TransactionAmount.Raw.integer(new BigInteger(yen)), true))
                .isEqualTo(FieldViolation.INVALID_VALUE);
    }

    @Test
    void zeroOrNothingIsFineWithoutMoneyMovement() {
        assertThat(read(TransactionAmount.Raw.integer(BigInteger.ZERO), false)).isZero();
        assertThat(read(TransactionAmount.Raw.absent(), false)).isZero();
        assertThat(violation(TransactionAmount.Raw.integer(BigInteger.valueOf(-5)), false))
                .isEqualTo(FieldViolation.INVALID_VALUE);
    }

    @Test
    void moneyMovementNeedsAnAmount() {
        assertThat(violation(TransactionAmount.Raw.absent(), true)).isEqualTo(FieldViolation.REQUIRED);
    }

    @Test
    void fractionsAndTextAreRefusedNotRounded() {
        assertThat(violation(new TransactionAmount.Raw(TransactionAmount.Kind.NOT_INTEGER, null), true))
                .isEqualTo(FieldViolation.INVALID_FORMAT);
        assertThat(violation(new TransactionAmount.Raw(TransactionAmount.Kind.NOT_A_NUMBER, null), false))
                .isEqualTo(FieldViolation.INVALID_FORMAT);
    }

    private static long read(TransactionAmount.Raw raw, boolean money) {
        Validation v = new Validation();
        long yen = TransactionAmount.read(v, "amount", raw, money);
        v.throwIfAny();
        return yen;
    }

    private static String violation(TransactionAmount.Raw raw, boolean money) {
        Validation v = new Validation();
        assertThat(TransactionAmount.read(v, "amount", raw, money)).isEqualTo(-1);
        try {
            v.throwIfAny();
        } catch (InvalidInput e) {
            assertThat(e.violations()).singleElement().extracting(FieldViolation::field).isEqualTo("amount");
            return e.violations().get(0).code();
        }
        throw new AssertionError("no violation");
    }
}
