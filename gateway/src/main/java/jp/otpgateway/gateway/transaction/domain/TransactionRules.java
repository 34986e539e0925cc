package jp.otpgateway.gateway.transaction.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.gateway.lifecycle.domain.OtpStatus;
import jp.otpgateway.tenant.model.OperationPolicy;
import jp.otpgateway.tenant.model.WithoutOtp;

/** R9 and R10 as pure functions: which transactions need a code, which count against the fallback limit. */
public final class TransactionRules {

    /** The operation a portal asks about at login (BLG020 forces a due activation there). */
    public static final String LOGIN = "LOGIN";

    private TransactionRules() {
    }

    /**
     * The decision table of README "Transactions".
     * <ol>
     * <li>A user whose token is locked (R7), reported lost or broken (TOKEN_SUSPENDED) or revoked
     * (R12) is refused whatever the operation ({@code barrier}, from {@code LifecycleRules.barrier};
     * a LOGIN also from {@code LifecycleRules.loginBarrier}, BLG020): none may be bypassed through the
     * fallback limit or an exemption, also while the locked token shows EXPIRED or a new token for
     * the revoked or suspended user is on its way.</li>
     * <li>A user with an ACTIVE token gives a code for every operation that needs one; a registered
     * payee exempts where the tenant says so (004: 事前登録先を除く).</li>
     * <li>A user without an active OTP moves money within the tenant's daily fallback limit, for
     * every transfer, registered payee or not (004: 1日の振込限度額を20万円に制限); a non-money
     * operation that needs a code follows {@code withoutOtp.nonMoneyOperations}.</li>
     * </ol>
     */
    public static TransactionDecision decide(OperationPolicy operation, boolean payeeRegistered, OtpStatus status,
                                             Optional<Refusal> barrier, boolean otpGiven, WithoutOtp withoutOtp) {
        if (barrier.isPresent()) {
            return new TransactionDecision.Refuse(barrier.get());
        }
        boolean needsOtp = operation.otpRequired() && !(operation.exemptRegisteredPayee() && payeeRegistered);
        if (status.hasActiveOtp()) {
            if (!needsOtp) {
                return new TransactionDecision.Approve();
            }
            return otpGiven ? new TransactionDecision.VerifyOtp()
                    : new TransactionDecision.Refuse(Refusal.of(Refusal.Reason.OTP_REQUIRED,
                            operation.name() + " needs the user's current code (R9)"));
        }
        if (operation.moneyMovement()) {
            return new TransactionDecision.ChargeLimit(withoutOtp.dailyTransferLimit());
        }
        if (needsOtp && withoutOtp.nonMoneyOperations() == WithoutOtp.NonMoneyPolicy.DENY) {
            return new TransactionDecision.Refuse(Refusal.of(Refusal.Reason.OTP_NOT_ACTIVE,
                    operation.name() + " needs an OTP and the tenant denies it to users without one"));
        }
        return new TransactionDecision.Approve();
    }

    /** R10: the limit's day is the calendar day in the tenant's time zone (Asia/Tokyo), not the host's. */
    public static LocalDate businessDate(Instant at, ZoneId tenantZone) {
        return LocalDate.ofInstant(at, tenantZone);
    }
}
