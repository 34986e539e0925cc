package jp.otpgateway.gateway.domain.user;

import java.util.List;
import java.util.OptionalLong;
import jp.otpgateway.tenant.model.TenantConfig;

/**
 * What {@code GET …/users/{loginId}/otp} shows. {@code dailyTransferLimit} is the tenant's fallback
 * (R10) exactly when the user has no active OTP.
 */
public record OtpStatusView(
        String loginId,
        OtpStatus status,
        List<String> sharedWith,
        OptionalLong dailyTransferLimit) {

    public OtpStatusView {
        sharedWith = List.copyOf(sharedWith);
    }

    /** A user who holds no token and has no pending request. */
    public static OtpStatusView withoutToken(User user, TenantConfig tenant) {
        return of(user.loginId(), OtpStatus.UNREGISTERED, List.of(), tenant);
    }

    static OtpStatusView of(String loginId, OtpStatus status, List<String> sharedWith, TenantConfig tenant) {
        OptionalLong limit = status.hasActiveOtp()
                ? OptionalLong.empty()
                : OptionalLong.of(tenant.withoutOtp().dailyTransferLimit());
        return new OtpStatusView(loginId, status, sharedWith, limit);
    }
}
