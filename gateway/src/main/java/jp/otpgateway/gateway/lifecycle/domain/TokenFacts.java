package jp.otpgateway.gateway.lifecycle.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.tenant.model.TokenKind;

/**
 * What an activation needs to know about a token: its kind and dates, the contract it belongs to,
 * and who holds it now. {@code holders} are the current (active, revoked or suspended) assignments;
 * {@code suspension} why the branch suspended the token, if it did.
 */
public record TokenFacts(
        String serial,
        TokenKind kind,
        Instant expiresAt,
        Optional<Instant> retiredAt,
        Optional<String> contractId,
        List<Holder> holders,
        Optional<LossReason> suspension) {

    public TokenFacts {
        holders = List.copyOf(holders);
    }

    public TokenFacts(String serial, TokenKind kind, Instant expiresAt, Optional<Instant> retiredAt,
                      Optional<String> contractId, List<Holder> holders) {
        this(serial, kind, expiresAt, retiredAt, contractId, holders, Optional.empty());
    }

    public record Holder(String loginId, String contractId, AssignmentState state) {
    }
}
