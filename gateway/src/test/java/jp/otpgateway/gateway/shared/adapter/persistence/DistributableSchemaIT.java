package jp.otpgateway.gateway.shared.adapter.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import jp.otpgateway.gateway.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The schema as migrated can be distributed by tenant (deploy/SCALING.md, Citus): every table holds
 * tenant_id and every primary and unique key includes it, except the tables meant to be reference
 * tables (copied whole to every node). A new migration that breaks this fails here.
 */
@IntegrationTest
class DistributableSchemaIT {

    /** Copied to every node under Citus: keyed without a tenant on purpose. */
    static final List<String> REFERENCE_TABLES = List.of("flyway_schema_history", "app_setup_routes");

    @Autowired
    DatabaseClient db;

    @Test
    void everyTableHoldsTheTenantAndEveryUniqueKeyIncludesIt() {
        List<String> withoutTenant = db.sql("""
                        SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                           AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
                         ORDER BY 1""")
                .map(row -> row.get("name", String.class)).all().collectList().block(Duration.ofSeconds(10));
        assertThat(withoutTenant).contains("flyway_schema_history").isSubsetOf(REFERENCE_TABLES);

        List<String> keysWithoutTenant = db.sql("""
                        SELECT c.relname || '.' || i.relname AS name
                          FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
                          JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname = current_schema() AND x.indisunique AND c.relkind IN ('r', 'p')
                           AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                                              AND a.attname = 'tenant_id' AND a.attnum = ANY (x.indkey))
                         ORDER BY 1""")
                .map(row -> row.get("name", String.class)).all().collectList().block(Duration.ofSeconds(10));
        assertThat(keysWithoutTenant).contains("app_setup_routes.app_setup_routes_pkey")
                .allSatisfy(key -> assertThat(REFERENCE_TABLES).contains(key.substring(0, key.indexOf('.'))));
    }
}
