package jp.otpgateway.gateway.adapter.web;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.domain.validation.FieldViolation;

/** Ends a request with the problem of {@code code}; {@code detail} is English for developers and never holds secrets. */
public class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final transient List<FieldViolation> errors;
    private final transient Optional<Duration> retryAfter;

    public ApiException(ErrorCode code, String detail) {
        this(code, detail, List.of(), Optional.empty());
    }

    public ApiException(ErrorCode code, String detail, List<FieldViolation> errors, Optional<Duration> retryAfter) {
        super(detail, null, false, false);
        this.code = code;
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
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
}
