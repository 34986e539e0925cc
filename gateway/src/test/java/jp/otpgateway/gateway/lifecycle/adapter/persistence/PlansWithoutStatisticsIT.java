package jp.otpgateway.gateway.lifecycle.adapter.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.OwnSession;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
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

    @Autowired
    OwnSession session;

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
        List<String> plan = session.withTempCopies(c -> Flux.concat(
                // One large tenant as a bulk load leaves it: 100,000 users, each with its own ACTIVE token.
                OwnSession.run(c, "INSERT INTO users (tenant_id, login_id, contract_id, name, role, created_at, updated_at) "
                        + "SELECT 't-plan', 'u' || g, 'c' || g, 'n', 'GENERAL', now(), now() "
                        + "FROM generate_series(1, 100000) g").then(Mono.<String>empty()),
                OwnSession.run(c, "INSERT INTO assignments (tenant_id, login_id, serial, state, activated_at) "
                        + "SELECT 't-plan', 'u' || g, lpad(g::text, 12, '0'), 'ACTIVE', now() "
                        + "FROM generate_series(1, 100000) g").then(Mono.<String>empty()),
                // The copy's index of V8 (its name is made up by LIKE … INCLUDING ALL).
                OwnSession.lines(c, "SELECT 'index ' || indexname FROM pg_indexes "
                        + "WHERE schemaname LIKE 'pg_temp%' AND tablename = 'assignments' "
                        + "AND indexdef LIKE '%(tenant_id, serial) WHERE ((state)::text = ''ACTIVE''::text)'"),
                OwnSession.lines(c, "EXPLAIN " + R2dbcAssignments.STATE.replace(":tenant", "'t-plan'")
                        + " AND u.login_id = 'u77'")));
        assertThat(plan.get(0)).startsWith("index ");
        String v8 = plan.get(0).substring("index ".length());
        String sharers = String.join("\n", plan.subList(1, plan.size()));
        assertThat(sharers).as("the plan:%n%s", sharers)
                .containsPattern("Index (Only )?Scan using " + v8 + " on assignments o\\b");
    }

    @Test
    void theHotPathAndTheBranchsSerialLookupUseTheirIndexesWithoutStatistics() {
        List<String> plan = session.withTempCopies(c -> Flux.concat(
                // One large tenant right after its bulk load: 100,000 users, tokens and ACTIVE assignments.
                OwnSession.run(c, "INSERT INTO users (tenant_id, login_id, contract_id, name, role, created_at, updated_at) "
                        + "SELECT 't-plan', 'u' || g, 'c' || g, 'n', 'GENERAL', now(), now() "
                        + "FROM generate_series(1, 100000) g").then(Mono.<String>empty()),
                OwnSession.run(c, "INSERT INTO tokens (tenant_id, serial, kind, seed_sealed, algorithm, digits, period_seconds, "
                        + "expires_at, imported_at) SELECT 't-plan', lpad(g::text, 12, '0'), 'HARDWARE', '\\x00', 'SHA1', 8, "
                        + "60, now() + interval '5 years', now() FROM generate_series(1, 100000) g").then(Mono.<String>empty()),
                OwnSession.run(c, "INSERT INTO assignments (tenant_id, login_id, serial, state, activated_at) "
                        + "SELECT 't-plan', 'u' || g, lpad(g::text, 12, '0'), 'ACTIVE', now() "
                        + "FROM generate_series(1, 100000) g").then(Mono.<String>empty()),
                OwnSession.lines(c, "EXPLAIN " + R2dbcTokens.ACTIVE_TOKEN_OF.replace(":tenant", "'t-plan'")
                        .replace(":login", "'u77'")),
                Flux.just("-- batch"),
                OwnSession.lines(c, "EXPLAIN " + R2dbcTokens.ACTIVE_TOKENS_OF
                        .replace("CAST(:tenants AS text[])", "ARRAY['t-plan','t-plan','t-plan']")
                        .replace("CAST(:logins AS text[])", "ARRAY['u1','u2','u3']")),
                Flux.just("-- serial"),
                OwnSession.lines(c, "EXPLAIN " + R2dbcTokens.BY_SERIAL.replace(":tenant", "'t-plan'")
                        .replace(":serial", "'000000000077'")),
                Flux.just("-- activation read"),
                OwnSession.lines(c, "EXPLAIN " + R2dbcTokens.FOR_ACTIVATION
                        .replace("CAST(:tenants AS text[])", "ARRAY['t-plan','t-plan']")
                        .replace("CAST(:logins AS text[])", "ARRAY['u1','u2']")
                        .replace("CAST(:serials AS text[])", "ARRAY['000000000001','000000000002']")),
                Flux.just("-- activation write"),
                OwnSession.lines(c, "EXPLAIN " + R2dbcActivationWrites.FIRST_HARDWARE
                        .replace("CAST(:tenants AS text[])", "ARRAY['t-plan','t-plan']")
                        .replace("CAST(:logins AS text[])", "ARRAY['u1','u2']")
                        .replace("CAST(:serials AS text[])", "ARRAY['000000000001','000000000002']")
                        .replace("CAST(:contracts AS text[])", "ARRAY['c1','c2']")
                        .replace("CAST(:ats AS text[])", "ARRAY['2026-12-06T00:00:00Z','2026-12-06T00:00:00Z']")
                        .replace("CAST(:clients AS text[])", "ARRAY['portal','portal']")),
                Flux.just("-- preload"),
                // The copy's index of the ACTIVE assignments by login (its name is made up by LIKE … INCLUDING ALL).
                OwnSession.lines(c, "SELECT 'index ' || indexname FROM pg_indexes "
                        + "WHERE schemaname LIKE 'pg_temp%' AND tablename = 'assignments' "
                        + "AND indexdef LIKE '%(tenant_id, login_id) WHERE ((state)::text = ''ACTIVE''::text)'"),
                OwnSession.lines(c, "EXPLAIN " + R2dbcTokens.ACTIVE_TOKENS_AFTER.replace(":tenant", "'t-plan'")
                        .replace(":after", "'u5'").replace(":limit", "1000"))));
        String all = String.join("\n", plan);
        assertThat(all).as("the plans:%n%s", all).doesNotContain("Seq Scan")
                .contains("-- batch", "-- serial", "-- activation read", "-- activation write", "-- preload");
        // the preload's pages walk the index of ACTIVE assignments in its own order: no sort of the tenant
        String preload = all.substring(all.indexOf("-- preload"));
        String active = preload.lines().filter(l -> l.startsWith("index ")).findFirst().orElseThrow()
                .substring("index ".length());
        assertThat(preload).as("the preload's plan:%n%s", preload)
                .contains("Index Scan using " + active + " on assignments a").doesNotContain("Sort", "Filter");
        for (String part : all.split("-- (batch|serial|activation read|activation write|preload)")) {
            assertThat(part).as("the plan:%n%s", part).containsPattern("Index (Only )?Scan using \\S+ on (assignments|tokens)");
        }
    }
}
