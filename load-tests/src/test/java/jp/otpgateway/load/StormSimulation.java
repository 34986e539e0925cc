package jp.otpgateway.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Simulation;

/**
 * Brute-force storm: tenant lt-001's tokens are hammered with wrong codes at {@code -DstormRate=500}
 * requests/s (they lock; lt-001's own limits answer 429 beyond them) while the other tenants'
 * valid verifications go on at {@code -Drate=50}/s. Passes when the others' verifications keep
 * failing ≤ {@code -DmaxFailedPercent=0.1} % and their p99 ≤ {@code -Dp99Ms=200}: compare the
 * p99 with VerifySimulation's at the same rate (README, Load tests).
 */
public class StormSimulation extends Simulation {

    final Fleet fleet = new Fleet();
    final double rate = Double.parseDouble(System.getProperty("rate", "50"));
    final double stormRate = Double.parseDouble(System.getProperty("stormRate", "500"));
    final int duration = Integer.getInteger("duration", 60);
    final double maxFailedPercent = Double.parseDouble(System.getProperty("maxFailedPercent", "0.1"));
    final int p99Ms = Integer.getInteger("p99Ms", 200);

    {
        if (fleet.tenants < 2) {
            throw new IllegalArgumentException("the storm needs at least 2 tenants (-Dtenants)");
        }
        Verifications others = new Verifications(fleet, 2, fleet.tenants);
        others.requireOncePerStep(rate);
        Verifications victim = new Verifications(fleet, 1, 1);
        setUp(
                scenario("other tenants").exec(others.chain("verify", 0))
                        .injectOpen(constantUsersPerSec(rate).during(duration + 10)),
                scenario("storm on lt-001").exec(victim.wrongCodes("storm"))
                        .injectOpen(nothingFor(5), constantUsersPerSec(stormRate).during(duration)))
                .protocols(http.baseUrl(fleet.baseUrl).contentTypeHeader("application/json")
                        .acceptHeader("application/json"))
                .assertions(
                        details("verify").failedRequests().percent().lte(maxFailedPercent),
                        details("verify").responseTime().percentile(99.0).lte(p99Ms),
                        details("storm").failedRequests().percent().lte(maxFailedPercent));
    }

    @Override
    public void before() {
        Fleet.startAtANewStep();
    }
}
