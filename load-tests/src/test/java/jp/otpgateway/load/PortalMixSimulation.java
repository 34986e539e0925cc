package jp.otpgateway.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Choice;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the portals of many credit unions send in a working day, in proportions (percent, each
 * settable as a system property): {@code statusShare=40} OTP status reads, {@code verifyShare=30}
 * login verifications, {@code exemptShare=15} transfers to registered payees (decided without a
 * code), {@code paymentShare=10} payments with the current code, {@code wrongShare=3} wrong codes,
 * {@code unlockShare=2} operator unlocks. Open model: {@code -Drate=100} requests/s after a
 * {@code -Dramp=30} s ramp, held {@code -Dduration=60} s, over tenants 2…N of the {@link Fleet}.
 * Asserts failed requests ≤ {@code -DmaxFailedPercent=0.1} and p99 ≤ {@code -Dp99Ms=200} per kind.
 * <p>
 * First logins of the day (issue #16): with {@code -DwarmUsers=W} (and {@code -Dtenants=1}) the
 * code requests go to users of lt-001 only: a share {@code -DfirstOfDayShare=50} (percent) to users
 * never verified since the gateway started, taken in turn from {@code -DcoldFrom} (a new range per
 * run; each one a cache miss), the others to users {@code 0 … W-1}, whom a run with
 * {@code -DfirstOfDayShare=0} verified first (each one a cache hit). {@code load-tests/portal-mix.sh}
 * runs that sequence at rising rates.
 */
public class PortalMixSimulation extends Simulation {

    final Fleet fleet = new Fleet();
    final double rate = Double.parseDouble(System.getProperty("rate", "100"));
    final int ramp = Integer.getInteger("ramp", 30);
    final int duration = Integer.getInteger("duration", 60);
    final double maxFailedPercent = Double.parseDouble(System.getProperty("maxFailedPercent", "0.1"));
    final int p99Ms = Integer.getInteger("p99Ms", 200);

    static double share(String name, double byDefault) {
        return Double.parseDouble(System.getProperty(name, Double.toString(byDefault)));
    }

    /** Any user of tenants 2…N, for the calls that use no code. */
    Session anyUser(Session session) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int tenant = fleet.tenants > 1 ? random.nextInt(2, fleet.tenants + 1) : 1;
        int number = random.nextInt(fleet.tokensPerTenant);
        return session.set("tenant", Fleet.tenantId(tenant)).set("key", Fleet.portalKey(tenant))
                .set("operatorKey", Fleet.operatorKey(tenant)).set("login", Fleet.login(number));
    }

    {
        int first = fleet.tenants > 1 ? 2 : 1;
        Verifications wrong = new Verifications(fleet, first, fleet.tenants).startingAtRandom();
        double codeRate = rate * (share("verifyShare", 30) + share("paymentShare", 10)) / 100;
        int warmUsers = Integer.getInteger("warmUsers", 0);
        double firstOfDay = share("firstOfDayShare", 50) / 100;
        ChainBuilder verify;
        ChainBuilder payment;
        if (warmUsers > 0) {
            long coldFrom = Long.getLong("coldFrom", warmUsers);
            Verifications warm = new Verifications(fleet, 1, 0, warmUsers);
            Verifications cold = new Verifications(fleet, 1, coldFrom, fleet.tokensPerTenant);
            warm.requireOncePerStep(codeRate * (1 - firstOfDay));
            verify = exec(session -> session).randomSwitchOrElse().on(
                    new Choice.WithWeight(firstOfDay * 100, cold.chain("verify (first of the day)", 0.0)))
                    .orElse(warm.chain("verify", 0.0));
            payment = exec(session -> session).randomSwitchOrElse().on(
                    new Choice.WithWeight(firstOfDay * 100, cold.payment("payment with code (first of the day)")))
                    .orElse(warm.payment("payment with code"));
        } else {
            Verifications codes = new Verifications(fleet, first, fleet.tenants);
            codes.requireOncePerStep(codeRate);
            verify = codes.chain("verify", 0.0);
            payment = codes.payment("payment with code");
        }

        ChainBuilder status = exec(this::anyUser).exec(http("status").get("/v1/tenants/#{tenant}/users/#{login}/otp")
                .header("Authorization", "Bearer #{key}").check(status().is(200)));
        ChainBuilder exempt = exec(this::anyUser).exec(http("transfer to registered payee")
                .post("/v1/tenants/#{tenant}/transactions").header("Authorization", "Bearer #{key}")
                .body(StringBody("{\"loginId\":\"#{login}\",\"type\":\"TRANSFER\",\"amount\":50000,\"payeeRegistered\":true}"))
                .check(status().is(201)));
        ChainBuilder unlock = exec(this::anyUser).exec(http("operator unlock")
                .post("/v1/tenants/#{tenant}/operator/unlocks").header("Authorization", "Bearer #{operatorKey}")
                .body(StringBody("{\"loginIds\":[\"#{login}\"],\"staffId\":\"load-test\"}")).check(status().is(200)));

        ChainBuilder mix = exec(session -> session).randomSwitch().on(
                new Choice.WithWeight(share("statusShare", 40), status),
                new Choice.WithWeight(share("verifyShare", 30), verify),
                new Choice.WithWeight(share("exemptShare", 15), exempt),
                new Choice.WithWeight(share("paymentShare", 10), payment),
                new Choice.WithWeight(share("wrongShare", 3), wrong.wrongCodes("wrong code")),
                new Choice.WithWeight(share("unlockShare", 2), unlock));

        setUp(scenario("portal mix").exec(mix)
                .injectOpen(rampUsersPerSec(1).to(rate).during(ramp), constantUsersPerSec(rate).during(duration)))
                .protocols(http.baseUrl(fleet.baseUrl).contentTypeHeader("application/json")
                        .acceptHeader("application/json"))
                .assertions(assertions(warmUsers > 0 && firstOfDay > 0));
    }

    java.util.List<io.gatling.javaapi.core.Assertion> assertions(boolean firstOfDay) {
        java.util.List<io.gatling.javaapi.core.Assertion> all = new java.util.ArrayList<>(java.util.List.of(
                global().failedRequests().percent().lte(maxFailedPercent),
                details("status").responseTime().percentile(99.0).lte(p99Ms),
                details("verify").responseTime().percentile(99.0).lte(p99Ms),
                details("payment with code").responseTime().percentile(99.0).lte(p99Ms),
                details("transfer to registered payee").responseTime().percentile(99.0).lte(p99Ms)));
        if (firstOfDay) {
            all.add(details("verify (first of the day)").responseTime().percentile(99.0).lte(p99Ms));
            all.add(details("payment with code (first of the day)").responseTime().percentile(99.0).lte(p99Ms));
        }
        return all;
    }

    @Override
    public void before() {
        Fleet.startAtANewStep();
    }
}
