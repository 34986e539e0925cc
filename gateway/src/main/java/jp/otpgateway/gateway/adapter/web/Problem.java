package jp.otpgateway.gateway.adapter.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import jp.otpgateway.gateway.domain.validation.FieldViolation;

/** RFC 9457 problem with the members api.md fixes: {@code code}, Japanese {@code message}, and where they apply the rest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        String code,
        String message,
        List<FieldViolation> errors,
        Integer remainingAttempts,
        Long retryAfter) {

    public static Problem of(ApiException e, String instance) {
        ErrorCode code = e.code();
        return new Problem(code.type(), code.title(), code.status().value(), e.getMessage(), instance, code.name(),
                code.message(), e.errors().isEmpty() ? null : e.errors(), null,
                e.retryAfter().map(d -> Math.max(1, d.toSeconds())).orElse(null));
    }
}
