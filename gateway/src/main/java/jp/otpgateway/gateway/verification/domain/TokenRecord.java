package jp.otpgateway.gateway.verification.domain;

import java.time.Instant;
import jp.otpgateway.tenant.model.HashAlgorithm;
import jp.otpgateway.tenant.model.TokenKind;

/** A stored token as the verification path needs it: the sealed seed, its RFC 6238 parameters and guard state. */
public record TokenRecord(
        String serial,
        TokenKind kind,
        byte[] sealedSeed,
        HashAlgorithm algorithm,
        int digits,
        int periodSeconds,
        Instant expiresAt,
        TokenState state) {

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
