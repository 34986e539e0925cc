package jp.otpgateway.gateway.branch.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.lifecycle.domain.AssignmentState;
import jp.otpgateway.gateway.lifecycle.domain.Holding;
import jp.otpgateway.gateway.lifecycle.domain.LifecycleRules;
import jp.otpgateway.gateway.lifecycle.domain.OtpStatus;
import jp.otpgateway.gateway.lifecycle.domain.LossReason;
import jp.otpgateway.tenant.model.TokenKind;

/**
 * One token as the branch sees it (GET …/operator/tokens/{serial}): where it is in its life, who
 * holds it, its lock. The state is derived here and only here; the lists' SQL predicates repeat it
 * (TokenListsIT checks each list's items against {@link #state()}).
 */
public record TokenStock(
        String serial,
        TokenKind kind,
        Optional<String> contractId,
        Instant expiresAt,
        Optional<Instant> retiredAt,
        Optional<Instant> suspendedAt,
        Optional<LossReason> suspension,
        boolean locked,
        int failures,
        int driftSteps,
        List<Holder> holders) {

    public TokenStock {
        holders = List.copyOf(holders);
    }

    /** A user with a current hold on the token; {@code pendingIssuance}: a new token is on its way to them. */
    public record Holder(String loginId, String contractId, AssignmentState state, boolean pendingIssuance) {
    }

    /** Where a token is, with the wording a clerk's screen shows. */
    public enum State {
        /** Delivered by the vendor, never bound to a contract: may be shipped or handed over. */
        IN_STOCK("在庫"),
        /** Sent to (bound to the contract of) a user who has not activated it. */
        SHIPPED("発送済（利用開始登録待ち）"),
        /** Held by at least one user (active or revoked). */
        ACTIVE("利用中"),
        /** Reported lost or broken while users still hold it (each until reissue or deactivation). */
        SUSPENDED("利用停止中（紛失・破損）"),
        /** Left by its last user, voided, or reported lost or broken with no holder left: never usable again. */
        RETIRED("利用終了");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The status (R16) a holder of this token shows, from the token's side. */
    public OtpStatus statusOf(Holder holder, Instant now) {
        return LifecycleRules.status(Optional.of(new Holding(serial, kind, holder.state(), expiresAt, locked,
                Optional.empty())), holder.pendingIssuance(), now);
    }

    public State state() {
        if (suspendedAt.isPresent() && holders.stream().anyMatch(h -> h.state() == AssignmentState.SUSPENDED)) {
            return State.SUSPENDED;
        }
        if (retiredAt.isPresent()) {
            return State.RETIRED;
        }
        if (!holders.isEmpty()) {
            return State.ACTIVE;
        }
        return contractId.isPresent() ? State.SHIPPED : State.IN_STOCK;
    }

    /** The lists a clerk pages through (GET …/operator/tokens?state=). */
    public enum Listing {
        /** {@link State#IN_STOCK}. */
        IN_STOCK,
        /** Locked (R7) and not retired. */
        LOCKED,
        /** {@link State#SUSPENDED}. */
        SUSPENDED;

        public boolean includes(TokenStock token) {
            return switch (this) {
                case IN_STOCK -> token.state() == State.IN_STOCK;
                case LOCKED -> token.locked() && token.retiredAt().isEmpty();
                case SUSPENDED -> token.state() == State.SUSPENDED;
            };
        }
    }
}
