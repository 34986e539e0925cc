package jp.otpgateway.gateway.lifecycle.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.user.domain.User;

/**
 * Everything about one user's OTP at one moment: the current token, a pending issuance, the sharers,
 * and when the user last deactivated a software token (R11: the app is set up again from the next day).
 */
public record UserOtpState(User user, Optional<Holding> holding, Optional<PendingIssuance> pending,
                           List<String> sharedWith, Optional<Instant> softwareDeactivatedAt) {

    public UserOtpState {
        sharedWith = List.copyOf(sharedWith);
    }

    public OtpStatus statusAt(Instant now) {
        return LifecycleRules.status(holding, pending, now);
    }
}
