package jp.otpgateway.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Seeds the {@link Fleet} through the public API only, in chunks of {@value #CHUNK} tokens: the
 * tokens (operator delivery file, CSV), then their users with the token ACTIVE (operator migration
 * file, CSV: a credit union moving over with users who already use their key-fobs). Re-runnable:
 * known tokens and users already holding their token are skipped. {@code -Dconcurrency=4} chunks
 * in parallel.
 */
public class SeedSimulation extends Simulation {

    static final int CHUNK = 10_000;

    final Fleet fleet = new Fleet();
    final int concurrency = Integer.getInteger("concurrency", 4);
    final AtomicInteger nextChunk = new AtomicInteger();
    final int chunksPerTenant = (fleet.tokensPerTenant + CHUNK - 1) / CHUNK;
    final int chunks = fleet.tenants * chunksPerTenant;

    int from(int chunk) {
        return (chunk % chunksPerTenant) * CHUNK;
    }

    int to(int chunk) {
        return Math.min(fleet.tokensPerTenant, from(chunk) + CHUNK);
    }

    String tokens(int chunk) {
        int tenant = chunk / chunksPerTenant + 1;
        StringBuilder csv = new StringBuilder("serial,seed_hex,expires_at\n");
        for (int n = from(chunk); n < to(chunk); n++) {
            csv.append(Fleet.serial(tenant, n)).append(',').append(Totp.hex(Fleet.seed(tenant, n)))
                    .append(",2031-03-31T23:59:59+09:00\n");
        }
        return csv.toString();
    }

    String users(int chunk) {
        int tenant = chunk / chunksPerTenant + 1;
        StringBuilder csv = new StringBuilder("login_id,contract_id,name,role,serial\n");
        for (int n = from(chunk); n < to(chunk); n++) {
            csv.append(Fleet.login(n)).append(",LT-").append(n).append(",負荷試験 ").append(Fleet.login(n))
                    .append(",MASTER,").append(Fleet.serial(tenant, n)).append('\n');
        }
        return csv.toString();
    }

    final ScenarioBuilder seed = scenario("seed tokens and users")
            .asLongAs(session -> nextChunk.get() < chunks).on(
                    exec(session -> session.set("chunk", nextChunk.getAndIncrement()))
                    .doIf(session -> session.getInt("chunk") < chunks).then(
                            exec(session -> {
                                int chunk = session.getInt("chunk");
                                int tenant = chunk / chunksPerTenant + 1;
                                return session.set("tenant", Fleet.tenantId(tenant))
                                        .set("key", Fleet.operatorKey(tenant)).set("chunkSize", to(chunk) - from(chunk));
                            })
                            .exec(session -> session.set("t0", System.nanoTime()))
                            .exec(http("import tokens").post("/v1/tenants/#{tenant}/operator/hardware-tokens")
                                    .header("Authorization", "Bearer #{key}")
                                    .header("Content-Type", "text/csv")
                                    .body(StringBody(session -> tokens(session.getInt("chunk"))))
                                    .check(status().is(200), jsonPath("$.errorCount").ofInt().is(0)))
                            .exec(session -> session.set("t1", System.nanoTime()))
                            .exec(http("migrate users").post("/v1/tenants/#{tenant}/operator/migrations")
                                    .header("Authorization", "Bearer #{key}")
                                    .header("Content-Type", "text/csv")
                                    .body(StringBody(session -> users(session.getInt("chunk"))))
                                    .check(status().is(200), jsonPath("$.errorCount").ofInt().is(0)))
                            .exec(session -> {
                                // per file, so that a plan that degrades as the tenant grows shows (issue #16)
                                long now = System.nanoTime();
                                System.out.printf("chunk %d of %s: delivery file %d ms, migration file %d ms%n",
                                        session.getInt("chunk") % chunksPerTenant + 1, session.getString("tenant"),
                                        (session.getLong("t1") - session.getLong("t0")) / 1_000_000,
                                        (now - session.getLong("t1")) / 1_000_000);
                                return session;
                            })));

    {
        HttpProtocolBuilder protocol = http.baseUrl(fleet.baseUrl).acceptHeader("application/json")
                .shareConnections();
        setUp(seed.injectOpen(atOnceUsers(Math.min(concurrency, chunks))))
                .protocols(protocol)
                .assertions(global().failedRequests().count().is(0L));
    }

    private static io.gatling.javaapi.core.ChainBuilder exec(
            java.util.function.Function<io.gatling.javaapi.core.Session, io.gatling.javaapi.core.Session> f) {
        return io.gatling.javaapi.core.CoreDsl.exec(f);
    }
}
