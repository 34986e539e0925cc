package jp.otpgateway.gateway.lifecycle.adapter.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Duration;
import java.util.List;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Plans that hold right after a bulk load, before the planner has counted anything: the status
 * query's sharers come through an index whose predicate is exactly theirs (V8), and every upload
 * leaves fresh statistics behind (ANALYZE) for the next file and the queries after it.
 */
@IntegrationTest
class PlansWithoutStatisticsIT extends TwoTenantsTest {

    @Autowired
    DatabaseClient db;

    @Value("${spring.r2dbc.url}")
    String url;
    @Value("${spring.r2dbc.username}")
    String user;
    @Value("${spring.r2dbc.password}")
    String password;

    /**
     * A connection of this test's own, outside the gateway's pool: its temporary tables shadow the
     * real ones for the rest of that session, which must never reach a request.
     */
    ConnectionFactory ownConnection() {
        return ConnectionFactories.get(ConnectionFactoryOptions.parse(url.replaceFirst("^r2dbc:pool:", "r2dbc:"))
                .mutate().option(ConnectionFactoryOptions.USER, user)
                .option(ConnectionFactoryOptions.PASSWORD, password).build());
    }

    double lastAnalyze(String table) {
        return db.sql("SELECT coalesce(extract(epoch FROM last_analyze), 0) AS at FROM pg_stat_user_tables "
                        + "WHERE relname = :t").bind("t", table)
                .map(row -> row.get("at", Number.class).doubleValue()).one().block(Duration.ofSeconds(5));
    }

    @Test
    void anUploadLeavesFreshStatisticsForTheNextFile() {
        double before = Math.max(lastAnalyze("assignments"), lastAnalyze("tokens"));
        String serial = alpha.token();
        http.post().uri("/v1/tenants/{t}/operator/migrations", alpha.tenant())
                .headers(h -> h.setBearerAuth(IntegrationTest.ALPHA_OPERATOR)).contentType(MediaType.parseMediaType("text/csv"))
                .bodyValue("login_id,contract_id,name,role,serial\nst-" + serial + "," + OtpApi.newContract()
                        + ",統計,GENERAL," + serial + "\n")
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.imported").isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(lastAnalyze("assignments")).isGreaterThan(before);
            assertThat(lastAnalyze("tokens")).isGreaterThan(before);
        });
    }

    @Test
    void theStatusQueryFindsTheSharersThroughTheirOwnIndexWithoutStatistics() {
        List<String> plan = Flux.usingWhen(Mono.from(ownConnection().create()), c -> {
            Flux<?> setup = Flux.concat(
                    run(c, "CREATE TEMP TABLE users (LIKE public.users INCLUDING ALL)"),
                    run(c, "CREATE TEMP TABLE assignments (LIKE public.assignments INCLUDING ALL)"),
                    run(c, "CREATE TEMP TABLE tokens (LIKE public.tokens INCLUDING ALL)"),
                    run(c, "CREATE TEMP TABLE shipments (LIKE public.shipments INCLUDING ALL)"),
                    run(c, "CREATE TEMP TABLE software_issuances (LIKE public.software_issuances INCLUDING ALL)"),
                    // One large tenant as a bulk load leaves it: 100,000 users, each with its own ACTIVE token.
                    run(c, "INSERT INTO users (tenant_id, login_id, contract_id, name, role, created_at, updated_at) "
                            + "SELECT 't-plan', 'u' || g, 'c' || g, 'n', 'GENERAL', now(), now() "
                            + "FROM generate_series(1, 100000) g"),
                    run(c, "INSERT INTO assignments (tenant_id, login_id, serial, state, activated_at) "
                            + "SELECT 't-plan', 'u' || g, lpad(g::text, 12, '0'), 'ACTIVE', now() "
                            + "FROM generate_series(1, 100000) g"));
            // The copy's index of V8 (its name is made up by LIKE … INCLUDING ALL).
            Flux<String> index = Flux.from(c.createStatement("SELECT indexname FROM pg_indexes "
                            + "WHERE schemaname LIKE 'pg_temp%' AND tablename = 'assignments' "
                            + "AND indexdef LIKE '%(tenant_id, serial) WHERE ((state)::text = ''ACTIVE''::text)'").execute())
                    .flatMap(r -> r.map((row, m) -> "index " + row.get(0, String.class)));
            String explain = "EXPLAIN " + R2dbcAssignments.STATE.replace(":tenant", "'t-plan'") + " AND u.login_id = 'u77'";
            Flux<String> lines = Flux.from(c.createStatement(explain).execute())
                    .flatMap(r -> r.map((row, m) -> row.get(0, String.class)));
            return setup.thenMany(Flux.concat(index, lines));
        }, Connection::close).collectList().block(Duration.ofSeconds(60));
        assertThat(plan.get(0)).startsWith("index ");
        String v8 = plan.get(0).substring("index ".length());
        String sharers = String.join("\n", plan.subList(1, plan.size()));
        assertThat(sharers).as("the plan:%n%s", sharers)
                .containsPattern("Index (Only )?Scan using " + v8 + " on assignments o\\b");
    }

    private static Flux<?> run(Connection c, String sql) {
        return Flux.from(c.createStatement(sql).execute()).flatMap(r -> r.getRowsUpdated());
    }
}
