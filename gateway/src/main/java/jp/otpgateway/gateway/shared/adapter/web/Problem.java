package jp.otpgateway.gateway.shared.adapter.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import jp.otpgateway.gateway.shared.domain.DailyLimit;
import jp.otpgateway.gateway.shared.domain.FieldViolation;

/**
 * RFC 9457 problem with the members docs/api.md fixes: {@code code}, Japanese {@code message}, and where
 * they apply the rest. A refusal that ends at a known time says when: {@code issuanceAvailableAt}
 * (ISSUANCE_COOLDOWN) or {@code reissueAvailableFrom} (REISSUE_NOT_YET), the names of the status view.
 */
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
        Long retryAfter,
        String issuanceAvailableAt,
        String reissueAvailableFrom,
        LimitView limit) {

    /** R10: the day's fallback limit, as the transaction answer shows it. */
    public record LimitView(long daily, long used, long remaining) {

        public static LimitView of(DailyLimit limit) {
            return new LimitView(limit.daily(), limit.used(), limit.remaining());
        }
    }

    public static Problem of(ApiException e, String instance) {
        ErrorCode code = e.code();
        String availableAt = e.availableAt().orElse(null);
        return new Problem(code.type(), code.title(), code.status().value(), e.getMessage(), instance, code.name(),
                code.message(), e.errors().isEmpty() ? null : e.errors(), e.remainingAttempts().orElse(null),
                e.retryAfter().map(d -> Math.max(1, d.toSeconds())).orElse(null),
                code == ErrorCode.ISSUANCE_COOLDOWN ? availableAt : null,
                code == ErrorCode.REISSUE_NOT_YET ? availableAt : null, e.limit().map(LimitView::of).orElse(null));
    }
}
