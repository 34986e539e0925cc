package jp.otpgateway.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Go-live (issue #16): thousands of users activate their key-fob in the first hour. Through the
 * public API only, in one tenant ({@code -Dtenant=2}, i.e. lt-002, whose limits are large):
 * <ol>
 * <li>the tokens arrive in delivery files of 10,000 (in stock);</li>
 * <li>{@code users} users are registered (portal PUT, 32 at a time), none with a token;</li>
 * <li>they activate, each with their own token's serial and current code (a hardware activation
 * needs no issuance first, docs/api.md), at {@code rate}/s after a {@code ramp}: every check and
 * audit event of a real activation.</li>
 * </ol>
 * Users and serials are numbered from {@code offset} (default 50,000,000), apart from the
 * SeedSimulation's; each run needs an offset of its own ({@code -Doffset=50100000} …).
 */
public class ActivationSimulation extends Simulation {

    static final int CHUNK = 10_000;

    final Fleet fleet = new Fleet();
    final int tenant = Integer.getInteger("tenant", 2);
    final int users = Integer.getInteger("users", 30_000);
    final int offset = Integer.getInteger("offset", 50_000_000);
    final int rate = Integer.getInteger("rate", 1_000);
    final int ramp = Integer.getInteger("ramp", 5);

    final AtomicInteger nextChunk = new AtomicInteger();
    final AtomicInteger nextUser = new AtomicInteger();
    final AtomicInteger nextActivation = new AtomicInteger();

    String login(int i) {
        return String.format("lt-a%08d", offset + i);
    }

    String serial(int i) {
        return Fleet.serial(tenant, offset + i);
    }

    String tokens(int chunk) {
        StringBuilder csv = new StringBuilder("serial,seed_hex,expires_at\n");
        for (int i = chunk * CHUNK; i < Math.min(users, (chunk + 1) * CHUNK); i++) {
            csv.append(serial(i)).append(',').append(Totp.hex(Fleet.seed(tenant, offset + i)))
                    .append(",2031-03-31T23:59:59+09:00\n");
        }
        return csv.toString();
    }

    final ScenarioBuilder deliver = scenario("deliver tokens")
            .asLongAs(s -> nextChunk.get() * CHUNK < users).on(
                    io.gatling.javaapi.core.CoreDsl.exec(s -> s.set("chunk", nextChunk.getAndIncrement()))
                            .doIf(s -> s.getInt("chunk") * CHUNK < users).then(
                                    io.gatling.javaapi.core.CoreDsl.exec(http("delivery file")
                                            .post("/v1/tenants/" + Fleet.tenantId(tenant) + "/operator/hardware-tokens")
                                            .header("Authorization", "Bearer " + Fleet.operatorKey(tenant))
                                            .header("Content-Type", "text/csv")
                                            .body(StringBody(s -> tokens(s.getInt("chunk"))))
                                            .check(status().is(200), jsonPath("$.errorCount").ofInt().is(0)))));

    final ScenarioBuilder register = scenario("register users")
            .asLongAs(s -> nextUser.get() < users).on(
                    io.gatling.javaapi.core.CoreDsl.exec(s -> s.set("i", nextUser.getAndIncrement()))
                            .doIf(s -> s.getInt("i") < users).then(
                                    io.gatling.javaapi.core.CoreDsl.exec(http("register user")
                                            .put(s -> "/v1/tenants/" + Fleet.tenantId(tenant) + "/users/" + login(s.getInt("i")))
                                            .header("Authorization", "Bearer " + Fleet.portalKey(tenant))
                                            .header("Content-Type", "application/json")
                                            .body(StringBody(s -> "{\"contractId\":\"LA-" + (offset + s.getInt("i"))
                                                    + "\",\"name\":\"稼働日 " + login(s.getInt("i")) + "\",\"role\":\"MASTER\"}"))
                                            .check(status().in(200, 201)))));

    final ScenarioBuilder activate = scenario("activate")
            .exec(s -> s.set("i", nextActivation.getAndIncrement()))
            .doIf(s -> s.getInt("i") < users).then(
                    io.gatling.javaapi.core.CoreDsl.exec(http("activation")
                            .post(s -> "/v1/tenants/" + Fleet.tenantId(tenant) + "/users/" + login(s.getInt("i"))
                                    + "/otp/activation")
                            .header("Authorization", "Bearer " + Fleet.portalKey(tenant))
                            .header("Content-Type", "application/json")
                            .body(StringBody(s -> {
                                int i = s.getInt("i");
                                String code = Totp.code(Fleet.seed(tenant, offset + i), Totp.step(System.currentTimeMillis()));
                                return "{\"serial\":\"" + serial(i) + "\",\"otp\":\"" + code + "\"}";
                            }))
                            .check(status().is(200), jsonPath("$.status").is("ACTIVE"))));

    {
        HttpProtocolBuilder protocol = http.baseUrl(fleet.baseUrl).acceptHeader("application/json").shareConnections();
        int steady = Math.max(1, (users - rate * ramp / 2) / rate);
        setUp(deliver.injectOpen(atOnceUsers(1))
                .andThen(register.injectOpen(atOnceUsers(32))
                        .andThen(activate.injectOpen(rampUsersPerSec(10).to(rate).during(ramp),
                                constantUsersPerSec(rate).during(steady)))))
                .protocols(protocol)
                .assertions(global().failedRequests().count().is(0L));
    }
}
