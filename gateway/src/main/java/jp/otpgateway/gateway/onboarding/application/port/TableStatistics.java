package jp.otpgateway.gateway.onboarding.application.port;

import reactor.core.publisher.Mono;

/**
 * Port: the planner's statistics of the tables a bulk load fills. Right after a delivery file or a
 * migration file the tables hold many rows the planner has never counted (autovacuum lags behind, or
 * is off): without this, each following file of the same tenant planned worse than the last.
 */
public interface TableStatistics {

    /** Counts the loaded tables again (PostgreSQL ANALYZE); answers when done. */
    Mono<Void> refreshAfterBulkLoad();
}
