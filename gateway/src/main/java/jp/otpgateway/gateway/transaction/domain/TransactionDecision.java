package jp.otpgateway.gateway.transaction.domain;

import jp.otpgateway.gateway.shared.domain.Refusal;

/** What the tenant's rules say about one transaction before any store is touched (R9, R10). */
public sealed interface TransactionDecision {

    /** The user's current code must be verified on the OTP path; approved when it is accepted. */
    record VerifyOtp() implements TransactionDecision {
    }

    /** Approved without a code and without counting against a limit. */
    record Approve() implements TransactionDecision {
    }

    /** R10: approved if the amount fits in today's fallback limit of {@code daily} yen. */
    record ChargeLimit(long daily) implements TransactionDecision {
    }

    record Refuse(Refusal refusal) implements TransactionDecision {
    }
}
