package jp.otpgateway.gateway.shared.adapter.persistence;

/**
 * "The user's current token" in SQL, written once: an assignment in a state that
 * {@code lifecycle.domain.AssignmentState.current()} calls current (ACTIVE or REVOKED). The partial
 * indexes of migration V3 carry the same predicate, so that the planner picks them without
 * statistics; AssignmentSqlTest checks both against the Java rule.
 */
public final class AssignmentSql {

    /** The states of a current assignment, as an SQL list. */
    public static final String CURRENT_STATES = "('ACTIVE', 'REVOKED')";

    private AssignmentSql() {
    }

    /** {@code <alias>.state IN ('ACTIVE', 'REVOKED')}. */
    public static String current(String alias) {
        return alias + ".state IN " + CURRENT_STATES;
    }
}
