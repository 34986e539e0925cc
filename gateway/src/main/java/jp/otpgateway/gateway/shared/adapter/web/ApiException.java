package jp.otpgateway.gateway.shared.adapter.web;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.shared.domain.DailyLimit;
import jp.otpgateway.gateway.shared.domain.FieldViolation;

/** Ends a request with the problem of {@code code}; {@code detail} is English for developers and never holds secrets. */
public class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final transient List<FieldViolation> errors;
    private final transient Optional<Duration> retryAfter;
    private final transient Optional<Integer> remainingAttempts;
    private final transient Optional<String> availableAt;
    private final transient Optional<DailyLimit> limit;

    public ApiException(ErrorCode code, String detail) {
        this(code, detail, List.of(), Optional.empty());
    }

    public ApiException(ErrorCode code, String detail, List<FieldViolation> errors, Optional<Duration> retryAfter) {
        this(code, detail, errors, retryAfter, Optional.empty(), Optional.empty());
    }

    /** {@code availableAt}: when the refused call becomes possible, rendered in the tenant's zone. */
    public ApiException(ErrorCode code, String detail, List<FieldViolation> errors, Optional<Duration> retryAfter,
                        Optional<Integer> remainingAttempts, Optional<String> availableAt) {
        this(code, detail, errors, retryAfter, remainingAttempts, availableAt, Optional.empty());
    }

    /** {@code limit}: the fallback limit a LIMIT_EXCEEDED refusal was measured against (R10). */
    public ApiException(ErrorCode code, String detail, List<FieldViolation> errors, Optional<Duration> retryAfter,
                        Optional<Integer> remainingAttempts, Optional<String> availableAt, Optional<DailyLimit> limit) {
        super(detail, null, false, false);
        this.code = code;
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
        this.remainingAttempts = remainingAttempts;
        this.availableAt = availableAt;
        this.limit = limit;
    }

    public ErrorCode code() {
        return code;
    }

    public List<FieldViolation> errors() {
        return errors;
    }

    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    public Optional<Integer> remainingAttempts() {
        return remainingAttempts;
    }

    public Optional<String> availableAt() {
        return availableAt;
    }

    public Optional<DailyLimit> limit() {
        return limit;
    }
}
