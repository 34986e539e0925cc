package jp.otpgateway.gateway.lifecycle.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import jp.otpgateway.tenant.model.TokenKind;

/** A user's current token (an ACTIVE or REVOKED assignment) with the token facts the status needs. */
public record Holding(
        String serial,
        TokenKind kind,
        AssignmentState state,
        Instant expiresAt,
        boolean locked,
        Optional<Instant> revokedAt) {

    public Holding {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
        if (!state.current()) {
            throw new IllegalArgumentException("a holding is a current assignment, not " + state);
        }
    }

    /** A token verifies up to, not including, its expiry (R13). */
    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
