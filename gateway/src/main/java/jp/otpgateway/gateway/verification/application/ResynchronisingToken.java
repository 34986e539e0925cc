package jp.otpgateway.gateway.verification.application;

import java.util.Optional;
import jp.otpgateway.gateway.shared.domain.FieldViolation;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.gateway.shared.domain.Validation;
import jp.otpgateway.gateway.verification.application.VerifyingOtp.Accepted;
import jp.otpgateway.gateway.verification.application.port.ActiveTokens;
import jp.otpgateway.gateway.verification.domain.OtpFields;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Use case: a token whose clock ran away from the window is resynchronised with two consecutive
 * codes (RFC 6238 §6; docs/domain.md "Drift and resynchronisation"): by the user through the
 * portal ({@link #ofUser}) or by the branch with the key-fob at the counter ({@link #atBranch}).
 * The pair is decided by {@link VerifyingOtp#resync}: one guard, one lock, one audit with the rest.
 */
@Service
public class ResynchronisingToken {

    /** Two codes as the user read them off the token, one after the other. */
    public record Codes(String otp1, String otp2) {

        /**
         * Reads both codes (R1: 半角数字; full-width where the tenant allows). Two equal codes are a
         * malformed request (400): a code typed twice says nothing about the token's clock.
         */
        public static Codes of(Validation v, TenantConfig tenant, String otp1, String otp2) {
            boolean normalize = tenant.otp().normalizeFullWidthDigits();
            String first = OtpFields.otp(v, "otp1", otp1, normalize);
            String second = OtpFields.otp(v, "otp2", otp2, normalize);
            if (first != null && first.equals(second)) {
                v.add(new FieldViolation("otp2", FieldViolation.INVALID_VALUE,
                        "時刻補正には、続けて表示された異なる2つのワンタイムパスワードを入力してください。"));
            }
            return new Codes(first, second);
        }
    }

    private final ActiveTokens tokens;
    private final VerifyingOtp verifying;

    public ResynchronisingToken(ActiveTokens tokens, VerifyingOtp verifying) {
        this.tokens = tokens;
        this.verifying = verifying;
    }

    /** The user's own active token (read afresh, never from memory). */
    public Mono<Outcome<Accepted>> ofUser(TenantConfig tenant, String loginId, Codes codes, String client) {
        return tokens.activeTokenOf(tenant.id(), loginId)
                .flatMap(token -> verifying.resync(tenant, loginId, token, codes.otp1(), codes.otp2(), client,
                        Optional.empty(), true))
                .switchIfEmpty(Mono.defer(() -> tokens.absenceOf(tenant.id(), loginId).map(VerifyingOtp::absent)));
    }

    /**
     * The token by its serial, with the clerk's staff ID in the audit. Only a token that someone
     * holds now: in stock there is nothing to keep in step; a lost, broken or retired one is refused.
     */
    public Mono<Outcome<Accepted>> atBranch(TenantConfig tenant, String serial, Codes codes, String staffId,
                                            String client) {
        return tokens.bySerial(tenant.id(), serial)
                .flatMap(found -> {
                    if (found.suspended()) {
                        return Mono.just(Outcome.<Accepted>refused(Refusal.Reason.TOKEN_SUSPENDED,
                                "the token was reported lost or broken"));
                    }
                    if (found.retired()) {
                        return Mono.just(Outcome.<Accepted>refused(Refusal.Reason.TOKEN_RETIRED, "the token is retired"));
                    }
                    if (found.holder().isEmpty()) {
                        return Mono.just(Outcome.<Accepted>refused(Refusal.Reason.OTP_NOT_ACTIVE,
                                "nobody uses this token yet"));
                    }
                    return verifying.resync(tenant, found.holder().get(), found.token(), codes.otp1(), codes.otp2(),
                            client, Optional.of(staffId), false);
                })
                .switchIfEmpty(Mono.fromSupplier(() -> Outcome.refused(Refusal.Reason.TOKEN_NOT_FOUND, "no such serial")));
    }
}
