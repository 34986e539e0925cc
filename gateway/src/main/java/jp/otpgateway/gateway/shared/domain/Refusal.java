package jp.otpgateway.gateway.shared.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A business rejection as a value (conventions: rejections are returned, not thrown). {@code reason}
 * names the API's error code; {@code detail} is English for developers and never holds a secret.
 */
public record Refusal(Reason reason, String detail, Optional<Instant> availableAt, Optional<Integer> remainingAttempts,
                      Optional<DailyLimit> limit, List<FieldViolation> violations) {

    public Refusal {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(availableAt, "availableAt");
        Objects.requireNonNull(remainingAttempts, "remainingAttempts");
        Objects.requireNonNull(limit, "limit");
        violations = List.copyOf(violations);
    }

    public static Refusal of(Reason reason, String detail) {
        return new Refusal(reason, detail, Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    public static Refusal until(Reason reason, String detail, Instant availableAt) {
        return new Refusal(reason, detail, Optional.of(availableAt), Optional.empty(), Optional.empty(), List.of());
    }

    public static Refusal invalidCode(int remainingAttempts) {
        return new Refusal(Reason.OTP_INVALID, "the code is not valid for this token", Optional.empty(),
                Optional.of(remainingAttempts), Optional.empty(), List.of());
    }

    /**
     * R1: a code whose length differs from the token's digits (6 or 8) can never be right, so it is a
     * malformed request (400), never a wrong code that counts towards the lock (R7).
     */
    public static Refusal codeLength(String field, int digits) {
        return new Refusal(Reason.VALIDATION_FAILED, "the token shows " + digits + "-digit codes", Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(new FieldViolation(field, FieldViolation.INVALID_FORMAT,
                        "ワンタイムパスワードは半角数字" + digits + "桁で入力してください。")));
    }

    /** R10: the amount does not fit in what is left of today's fallback limit. */
    public static Refusal limitExceeded(DailyLimit limit, long amount) {
        return new Refusal(Reason.LIMIT_EXCEEDED, "amount " + amount + " exceeds the remaining fallback limit of "
                + limit.remaining() + " yen today (R10)", Optional.empty(), Optional.empty(), Optional.of(limit), List.of());
    }

    /** The reasons a lifecycle call or an OTP attempt is refused; the names are the API's codes. */
    public enum Reason {
        FORBIDDEN,
        USER_NOT_FOUND,
        TOKEN_NOT_FOUND,
        CONTRACT_NOT_FOUND,
        SHIPMENT_NOT_FOUND,
        OTP_NOT_ACTIVE,
        ALREADY_ACTIVE,
        NOT_ISSUED,
        REISSUE_NOT_YET,
        ISSUANCE_COOLDOWN,
        ISSUANCE_PENDING,
        TOKEN_RETIRED,
        TOKEN_EXPIRED,
        TOKEN_OTHER_CONTRACT,
        TOKEN_IN_USE,
        KIND_MISMATCH,
        SHIPMENT_CLOSED,
        CONTRACT_CHANGE_REFUSED,
        OTP_INVALID,
        OTP_REPLAYED,
        OTP_LOCKED,
        TOKEN_REVOKED,
        /** The token was reported lost or broken at the branch: every operation waits for a reissue or deactivation. */
        TOKEN_SUSPENDED,
        /** The tenant resynchronises no token (otp.drift.resyncWindow: 0). */
        RESYNC_DISABLED,
        /** A reissue after loss for a user whose token was not reported lost or broken. */
        TOKEN_NOT_SUSPENDED,
        /** BLG020: the tenant forces activation at login and the user's shipped token reached its start date. */
        ACTIVATION_REQUIRED,
        /** A field that cannot be right for this token (a code of the wrong length): nothing is counted. */
        VALIDATION_FAILED,
        OTP_REQUIRED,
        LIMIT_EXCEEDED,
        SETUP_FAILED,
        /** A PSKC delivery file refused whole: a MAC that does not check, a wrong key or password. */
        PSKC_INVALID,
        PSKC_KEY_NOT_FOUND,
        TRANSACTION_NOT_FOUND,
        /** Key custody (docs/custody.md): no data key of that ID for the tenant. */
        DATA_KEY_NOT_FOUND,
        /** The key seals now, or will after a rotation: it cannot be removed. */
        DATA_KEY_PRIMARY,
        /** Seeds or transport keys are still sealed with the key: removing it would make them unreadable. */
        DATA_KEY_IN_USE,
        /** A rotation's key is not sealing yet, or its re-seal is still running. */
        ROTATION_PENDING,
        /** Seeds are still under the legacy keyset: they would survive a shredding of the tenant's keys. */
        RESEAL_PENDING,
        /** A shredding without its request, with another confirmation code, or after the code expired. */
        DESTRUCTION_NOT_CONFIRMED,
        /** The tenant's data keys were destroyed: nothing of it opens or is sealed again. */
        TENANT_KEYS_DESTROYED
    }
}
