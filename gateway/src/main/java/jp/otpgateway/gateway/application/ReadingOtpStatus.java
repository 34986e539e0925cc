package jp.otpgateway.gateway.application;

import jp.otpgateway.gateway.domain.user.OtpStatusView;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Use case: a portal reads a user's OTP status (GET …/users/{loginId}/otp). */
@Service
public class ReadingOtpStatus {

    private final Users users;

    public ReadingOtpStatus(Users users) {
        this.users = users;
    }

    /** Empty when the user is unknown to the tenant. */
    public Mono<OtpStatusView> statusOf(TenantConfig tenant, String loginId) {
        return users.find(tenant.id(), loginId).map(user -> OtpStatusView.withoutToken(user, tenant));
    }
}
