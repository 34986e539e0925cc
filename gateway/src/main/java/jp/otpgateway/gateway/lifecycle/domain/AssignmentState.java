package jp.otpgateway.gateway.lifecycle.domain;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The state of one user's hold on one token, and the one transition table every change goes through
 * (conventions: an illegal transition is an exception that names both states).
 */
public enum AssignmentState {
    /** The user verifies with the token (R5, R6). */
    ACTIVE,
    /** R12: stopped by a MASTER/ADMIN user or the branch; the token may be activated again. */
    REVOKED,
    /**
     * The token was reported lost or broken at the branch (000: 故障・紛失): nothing is authorised
     * until a reissued token is activated or the branch deactivates; the token itself is retired.
     */
    SUSPENDED,
    /** R11: the user left the token and may never activate it again. */
    DEACTIVATED,
    /** R13: ended by the activation of the user's new token. */
    REPLACED,
    /** A revoked hold superseded by a new activation. */
    ENDED;

    private static final Map<AssignmentState, Set<AssignmentState>> ALLOWED = Map.of(
            ACTIVE, EnumSet.of(REVOKED, SUSPENDED, DEACTIVATED, REPLACED),
            REVOKED, EnumSet.of(SUSPENDED, DEACTIVATED, ENDED),
            SUSPENDED, EnumSet.of(DEACTIVATED, ENDED),
            DEACTIVATED, EnumSet.noneOf(AssignmentState.class),
            REPLACED, EnumSet.noneOf(AssignmentState.class),
            ENDED, EnumSet.noneOf(AssignmentState.class));

    /** Still the user's current token: shown in the status and counted for sharing and contracts. */
    public boolean current() {
        return this == ACTIVE || this == REVOKED || this == SUSPENDED;
    }

    /** What a loss or damage report does to this hold: an active or revoked hold is suspended. */
    public AssignmentState suspendedByReport() {
        return transitionTo(SUSPENDED);
    }

    /**
     * What a deactivation does: by the user only from ACTIVE (R11; the portal refuses the others
     * before), by the branch from any current hold, so a user who lost the token can leave it.
     */
    public AssignmentState deactivated() {
        return transitionTo(DEACTIVATED);
    }

    public AssignmentState transitionTo(AssignmentState target) {
        if (!ALLOWED.get(this).contains(target)) {
            throw new IllegalTransition(this, target);
        }
        return target;
    }

    /** The state an activation of another token leaves this current hold in (R12, R13, a reissue after loss). */
    public AssignmentState supersededByActivation() {
        return transitionTo(this == ACTIVE ? REPLACED : ENDED);
    }

    public static final class IllegalTransition extends IllegalStateException {
        public IllegalTransition(AssignmentState from, AssignmentState to) {
            super("assignment cannot go from " + from + " to " + to);
        }
    }
}
