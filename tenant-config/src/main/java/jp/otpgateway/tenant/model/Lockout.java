package jp.otpgateway.tenant.model;

import java.util.Set;

/**
 * R7/R8: lock after N consecutive wrong codes; who of the same contract may unlock.
 * An empty {@code unlockBy} means only the tenant's operator unlocks (manuals 001/003).
 */
public record Lockout(int maxConsecutiveFailures, Set<UserRole> unlockBy, boolean cascadeToSharers) {

    public Lockout {
        unlockBy = Set.copyOf(unlockBy);
    }

    public boolean operatorOnly() {
        return unlockBy.isEmpty();
    }
}
