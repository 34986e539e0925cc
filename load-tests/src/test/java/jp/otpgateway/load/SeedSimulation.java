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
import java.util.concurrent.atomic.AtomicLong;

/**
 * Seeds the {@link Fleet} through the public API only: per tenant the tokens in CSV chunks (operator
 * import), then per token a user (PUT) and its activation with the current code. Re-runnable: a
 * token already imported is skipped, a user updated, an active token answers 409 ALREADY_ACTIVE.
 * {@code -Dconcurrency=64} parallel clients.
 */
public class SeedSimulation extends Simulation {

    static final int CHUNK = 10_000;

    final Fleet fleet = new Fleet();
    final int concurrency = Integer.getInteger("concurrency", 64);
    final AtomicInteger nextChunk = new AtomicInteger();
    final AtomicLong nextToken = new AtomicLong();
    final int chunksPerTenant = (fleet.tokensPerTenant + CHUNK - 1) / CHUNK;
    final int chunks = fleet.tenants * chunksPerTenant;

    String csv(int chunk) {
        int tenant = chunk / chunksPerTenant + 1;
        int from = (chunk % chunksPerTenant) * CHUNK;
        int to = Math.min(fleet.tokensPerTenant, from + CHUNK);
        StringBuilder csv = new StringBuilder("serial,seed_hex,expires_at\n");
        for (int n = from; n < to; n++) {
            csv.append(Fleet.serial(tenant, n)).append(',').append(Totp.hex(Fleet.seed(tenant, n)))
                    .append(",2031-03-31T23:59:59+09:00\n");
        }
        return csv.toString();
    }

    final ScenarioBuilder imports = scenario("import tokens")
            .asLongAs(session -> nextChunk.get() < chunks).on(
                    exec(session -> session.set("chunk", nextChunk.getAndIncrement()))
                    .doIf(session -> session.getInt("chunk") < chunks).then(
                            exec(session -> {
                                int chunk = session.getInt("chunk");
                                int tenant = chunk / chunksPerTenant + 1;
                                return session.set("tenant", Fleet.tenantId(tenant))
                                        .set("key", Fleet.operatorKey(tenant)).set("csv", csv(chunk));
                            })
                            .exec(http("import").post("/v1/tenants/#{tenant}/operator/hardware-tokens")
                                    .header("Authorization", "Bearer #{key}")
                                    .header("Content-Type", "text/csv")
                                    .body(StringBody("#{csv}"))
                                    .check(status().is(200), jsonPath("$.errorCount").ofInt().is(0)))));

    final ScenarioBuilder activations = scenario("users and activations")
            .asLongAs(session -> nextToken.get() < fleet.total()).on(
                    exec(session -> session.set("index", nextToken.getAndIncrement()))
                    .doIf(session -> session.getLong("index") < fleet.total()).then(
                            exec(session -> {
                                long index = session.getLong("index");
                                int tenant = fleet.tenantOf(index);
                                int number = fleet.numberInTenant(index);
                                return session.set("tenant", Fleet.tenantId(tenant))
                                        .set("key", Fleet.portalKey(tenant))
                                        .set("login", Fleet.login(number))
                                        .set("serial", Fleet.serial(tenant, number))
                                        .set("contract", "LT-" + number);
                            })
                            .exec(http("put user").put("/v1/tenants/#{tenant}/users/#{login}")
                                    .header("Authorization", "Bearer #{key}")
                                    .body(StringBody("{\"contractId\":\"#{contract}\",\"name\":\"負荷試験 #{login}\",\"role\":\"MASTER\"}"))
                                    .check(status().in(200, 201)))
                            .exec(http("activate").post("/v1/tenants/#{tenant}/users/#{login}/otp/activation")
                                    .header("Authorization", "Bearer #{key}")
                                    .body(StringBody(session -> {
                                        long index = session.getLong("index");
                                        byte[] seed = Fleet.seed(fleet.tenantOf(index), fleet.numberInTenant(index));
                                        return "{\"serial\":\"" + session.getString("serial") + "\",\"otp\":\""
                                                + Totp.code(seed, Totp.step(System.currentTimeMillis())) + "\"}";
                                    }))
                                    .check(status().in(200, 409)))));

    {
        HttpProtocolBuilder protocol = http.baseUrl(fleet.baseUrl).contentTypeHeader("application/json")
                .acceptHeader("application/json").shareConnections();
        setUp(imports.injectOpen(atOnceUsers(Math.min(4, chunks)))
                .andThen(activations.injectOpen(atOnceUsers(concurrency))))
                .protocols(protocol)
                .assertions(global().failedRequests().count().is(0L));
    }

    private static io.gatling.javaapi.core.ChainBuilder exec(
            java.util.function.Function<io.gatling.javaapi.core.Session, io.gatling.javaapi.core.Session> f) {
        return io.gatling.javaapi.core.CoreDsl.exec(f);
    }
}
