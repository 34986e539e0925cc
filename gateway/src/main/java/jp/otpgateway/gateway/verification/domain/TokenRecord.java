package jp.otpgateway.gateway.verification.domain;

import java.time.Instant;
import jp.otpgateway.tenant.model.HashAlgorithm;
import jp.otpgateway.tenant.model.TokenKind;

/**
 * A stored token as the verification path needs it: the sealed seed, its RFC 6238 parameters, guard
 * state, and the clock drift learned from its accepted codes ({@link Drift}).
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
        Drift drift) {

    /** The same token with another drift (what an acceptance left). */
    public TokenRecord with(Drift learned) {
        return new TokenRecord(serial, kind, sealedSeed, algorithm, digits, periodSeconds, expiresAt, state, learned);
    }

    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
