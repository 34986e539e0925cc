package jp.otpgateway.gateway.verification.domain;

import java.time.Instant;
import jp.otpgateway.tenant.model.HashAlgorithm;
import jp.otpgateway.tenant.model.TokenKind;

/**
 * A stored token as the verification path needs it: the sealed seed, its RFC 6238 parameters, guard
 * state, and the offset in time steps learned from its accepted codes ({@link Drift}).
 */
public record TokenRecord(
        String serial,
        TokenKind kind,
        byte[] sealedSeed,
        HashAlgorithm algorithm,
        int digits,
        int periodSeconds,
        Instant expiresAt,
        TokenState state,
        int driftSteps) {

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
