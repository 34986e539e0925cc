package jp.otpgateway.gateway.lifecycle.adapter.web;

import java.util.Arrays;
import java.util.List;
import jp.otpgateway.gateway.lifecycle.application.IssuingToken;
import jp.otpgateway.gateway.lifecycle.application.UnlockingUsers;
import jp.otpgateway.gateway.shared.adapter.web.Refusals;
import jp.otpgateway.gateway.shared.domain.FieldViolation;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Validation;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.TokenKind;

/** What the portal's and the branch's lifecycle calls read and answer alike (issuances, unlocks). */
final class LifecycleWeb {

    private LifecycleWeb() {
    }

    /** SOFTWARE or HARDWARE, and the tenant must offer the kind. */
    static TokenKind kind(Validation v, String value, TenantConfig tenant) {
        TokenKind kind = v.oneOf("kind", "トークン種別", value,
                text -> Arrays.stream(TokenKind.values()).filter(k -> k.name().equals(text)).findFirst(),
                "SOFTWARE, HARDWARE");
        if (kind == null) {
            return null;
        }
        if (!tenant.tokens().kinds().contains(kind)) {
            v.add(new FieldViolation("kind", FieldViolation.INVALID_VALUE,
                    "この信用組合では" + kind + "トークンを提供していません。"));
            return null;
        }
        return kind;
    }

    static OtpController.IssuanceResponse issued(Outcome<IssuingToken.Issued> outcome, TenantConfig tenant) {
        IssuingToken.Issued issued = Refusals.orThrow(outcome, tenant.timeZone());
        return issued.setupIds()
                .map(ids -> new OtpController.IssuanceResponse("ISSUED", issued.kind().name(), null, ids.serviceId(),
                        ids.appUserId(), issued.reissue()))
                .orElseGet(() -> new OtpController.IssuanceResponse("ISSUED", issued.kind().name(), issued.id(), null, null,
                        issued.reissue()));
    }

    static ContractController.UnlockResponse unlocked(Outcome<List<UnlockingUsers.Unlocked>> outcome, TenantConfig tenant) {
        return new ContractController.UnlockResponse(Refusals.orThrow(outcome, tenant.timeZone()).stream()
                .map(u -> new ContractController.UserTokenStatus(u.loginId(), u.serial(), u.status().name())).toList());
    }
}
