package jp.otpgateway.gateway.shared.adapter.persistence;

/**
 * "The user's current token" in SQL, written once: an assignment in a state that
 * {@code lifecycle.domain.AssignmentState.current()} calls current (ACTIVE, REVOKED or SUSPENDED). The
 * partial indexes of migration V9 carry the same predicate, so that the planner picks them without
 * statistics; AssignmentSqlTest checks the list and CurrentAssignmentIndexesIT the indexes against
 * the Java rule.
 */
public final class AssignmentSql {

    /** The states of a current assignment, as an SQL list. */
    public static final String CURRENT_STATES = "('ACTIVE', 'REVOKED', 'SUSPENDED')";

    private AssignmentSql() {
    }

    /** {@code <alias>.state IN ('ACTIVE', 'REVOKED', 'SUSPENDED')}. */
    public static String current(String alias) {
        return alias + ".state IN " + CURRENT_STATES;
    }
}
