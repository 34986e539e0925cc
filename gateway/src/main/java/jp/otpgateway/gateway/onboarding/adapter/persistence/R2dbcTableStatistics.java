package jp.otpgateway.gateway.onboarding.adapter.persistence;

import jp.otpgateway.gateway.onboarding.application.port.TableStatistics;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * ANALYZE of the tables the uploads write. It reads a sample of each table (30,000 rows by default),
 * so it costs about the same after the first file as after the hundredth. A role that does not own
 * the tables gets a warning from PostgreSQL and no statistics, never an error.
 */
@Repository
public class R2dbcTableStatistics implements TableStatistics {

    static final String ANALYZE = "ANALYZE tokens, assignments, users, contracts";

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcTableStatistics(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    @Override
    public Mono<Void> refreshAfterBulkLoad() {
        return stores.postgresBulk(db.sql(ANALYZE).fetch().rowsUpdated()).then();
    }
}
