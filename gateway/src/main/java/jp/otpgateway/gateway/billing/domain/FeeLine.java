package jp.otpgateway.gateway.billing.domain;

import java.time.YearMonth;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a contract's statement, in yen tax included. {@code adjusts}: for an ADJUSTMENT, the
 * closed month it corrects; its amount may be negative (a credit).
 */
public record FeeLine(Kind kind, long quantity, long unitPrice, long amount, Optional<YearMonth> adjusts) {

    public enum Kind {
        /** ２個目以降は１台につき月額１１０円: tokens beyond the free ones. */
        MONTHLY_TOKEN,
        /** ハードウェアトークン再発行手数料: a reissue after a loss or damage report. */
        REISSUE,
        /** A change to a month after it was closed, billed in the next statement. */
        ADJUSTMENT
    }

    public FeeLine {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(adjusts, "adjusts");
        if (kind != Kind.ADJUSTMENT && amount != quantity * unitPrice) {
            throw new IllegalArgumentException("amount must be quantity × unit price");
        }
        if ((kind == Kind.ADJUSTMENT) != adjusts.isPresent()) {
            throw new IllegalArgumentException("exactly an adjustment names the month it adjusts");
        }
    }

    public static FeeLine charge(Kind kind, long quantity, long unitPrice) {
        return new FeeLine(kind, quantity, unitPrice, quantity * unitPrice, Optional.empty());
    }

    public static FeeLine adjustment(YearMonth month, long amount) {
        return new FeeLine(Kind.ADJUSTMENT, 1, amount, amount, Optional.of(month));
    }
}
