package jp.otpgateway.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.Simulation;
import java.util.ArrayList;
import java.util.List;

/**
 * Open-model ramp of verifications over every seeded token of every tenant: valid codes plus a
 * share of wrong ones. {@code -Drate=100} verifications/s after a {@code -Dramp=30} s ramp, held
 * {@code -Dduration=60} s; {@code -DwrongShare=0.02}; asserts failed valid verifications ≤
 * {@code -DmaxFailedPercent=0.1} and their p99 ≤ {@code -Dp99Ms=200}.
 */
public class VerifySimulation extends Simulation {

    final Fleet fleet = new Fleet();
    final double rate = Double.parseDouble(System.getProperty("rate", "50"));
    final int ramp = Integer.getInteger("ramp", 30);
    final int duration = Integer.getInteger("duration", 60);
    final double wrongShare = Double.parseDouble(System.getProperty("wrongShare", "0.02"));
    final double maxFailedPercent = Double.parseDouble(System.getProperty("maxFailedPercent", "0.1"));
    final int p99Ms = Integer.getInteger("p99Ms", 200);

    {
        Verifications tokens = new Verifications(fleet, 1, fleet.tenants);
        tokens.requireOncePerStep(rate);
        setUp(scenario("verify").exec(tokens.chain("verify", wrongShare))
                .injectOpen(rampUsersPerSec(1).to(rate).during(ramp), constantUsersPerSec(rate).during(duration)))
                .protocols(http.baseUrl(fleet.baseUrl).contentTypeHeader("application/json")
                        .acceptHeader("application/json"))
                .assertions(assertions());
    }

    /** The wrong-code requests are asserted on only when there are any (-DwrongShare=0 sends none). */
    private List<Assertion> assertions() {
        List<Assertion> all = new ArrayList<>(List.of(
                details("verify").failedRequests().percent().lte(maxFailedPercent),
                details("verify").responseTime().percentile(99.0).lte(p99Ms),
                global().failedRequests().percent().lte(maxFailedPercent)));
        if (wrongShare > 0) {
            all.add(details("verify (wrong code)").failedRequests().percent().lte(maxFailedPercent));
        }
        return all;
    }

    @Override
    public void before() {
        Fleet.startAtANewStep();
    }
}
