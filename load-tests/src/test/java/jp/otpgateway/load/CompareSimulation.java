package jp.otpgateway.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * One round of load-tests/compare.sh: {@code -Dusers=64} connections, each sending its next request
 * as soon as the last is answered (closed model), for {@code -Dduration=30} s, against either
 * {@code -Dtarget=verify} (successful verifications over the {@link Fleet}'s tokens of tenants 2…N,
 * each code used once), {@code -Dtarget=bare} (the gateway's benchmark endpoint with the same
 * body: parsing only), {@code redis} (secret, TOTP and one EVALSHA) or {@code durable} (that and one
 * group-committed PostgreSQL write: BenchmarkCeilings), the last two over the same tokens and codes.
 * Every answer is checked: a refused verification fails the run.
 * <p>
 * {@code -Dfrom=N}: the users of lt-001 from N on, in turn, instead of the fleet from its first
 * token: with a range no run has touched since the gateway started, every request is a user's first
 * (a cache miss in the gateway, a first read in the ceilings' secret map): compare.sh's cold rounds.
 */
public class CompareSimulation extends Simulation {

    final Fleet fleet = new Fleet();
    final String target = System.getProperty("target", "verify");
    final int users = Integer.getInteger("users", 64);
    final int duration = Integer.getInteger("duration", 30);

    ChainBuilder request() {
        if (target.equals("bare")) {
            return io.gatling.javaapi.core.CoreDsl.exec(http("bare").post("/benchmark/bare")
                    .body(StringBody("{\"otp\":\"12345678\",\"operation\":\"LOGIN\"}"))
                    .check(status().is(200), jsonPath("$.result").is("ACCEPTED")));
        }
        long from = Long.getLong("from", -1L);
        Verifications tokens = from < 0 ? new Verifications(fleet, fleet.tenants > 1 ? 2 : 1, fleet.tenants)
                : new Verifications(fleet, 1, from, fleet.tokensPerTenant);
        if (target.equals("redis") || target.equals("durable")) {
            return tokens.ceiling(target);
        }
        return tokens.chain("verify", 0.0);
    }

    {
        ChainBuilder request = request();
        setUp(scenario(target).during(Duration.ofSeconds(duration)).on(request)
                .injectOpen(atOnceUsers(users)))
                .protocols(http.baseUrl(fleet.baseUrl).contentTypeHeader("application/json")
                        .acceptHeader("application/json"))
                .assertions(global().failedRequests().count().is(0L));
    }

    @Override
    public void before() {
        if (!target.equals("bare")) {
            Fleet.startAtANewStep();
        }
    }
}
