package jp.otpgateway.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Verification requests over a range of the {@link Fleet}'s tokens, each token taken in turn so that
 * a token's code is used once per 60 s step, as in real life (a faster turn would be refused as a
 * replay: {@link #requireOncePerStep} checks the rate against the token count at start).
 */
final class Verifications {

    private final int firstTenant;
    private final int tenants;
    private final long count;
    private final long offset;
    private final AtomicLong next = new AtomicLong();

    /** The tokens of tenants {@code firstTenant … lastTenant} (1-based), taken round-robin over the tenants. */
    Verifications(Fleet fleet, int firstTenant, int lastTenant) {
        if (firstTenant < 1 || lastTenant > fleet.tenants || firstTenant > lastTenant) {
            throw new IllegalArgumentException("tenants " + firstTenant + "…" + lastTenant + " are not in 1…"
                    + fleet.tenants);
        }
        this.firstTenant = firstTenant;
        this.tenants = lastTenant - firstTenant + 1;
        this.count = (long) tenants * fleet.tokensPerTenant;
        this.offset = 0;
    }

    /**
     * Users {@code from … to-1} of one tenant, taken in turn (the first-of-day mix of
     * PortalMixSimulation: a range verified since the gateway's start, and a range never verified).
     */
    Verifications(Fleet fleet, int tenant, long from, long to) {
        if (tenant < 1 || tenant > fleet.tenants || from < 0 || to > fleet.tokensPerTenant || from >= to) {
            throw new IllegalArgumentException("users " + from + "…" + to + " of tenant " + tenant
                    + " are not in the fleet");
        }
        this.firstTenant = tenant;
        this.tenants = 1;
        this.count = to - from;
        this.offset = from;
    }

    /** Starts the turn at a random token, so that repeated runs spread over the fleet (wrong codes). */
    Verifications startingAtRandom() {
        next.set(java.util.concurrent.ThreadLocalRandom.current().nextLong(count));
        return this;
    }

    void requireOncePerStep(double perSecond) {
        if (count < perSecond * 60 * 1.2) {
            throw new IllegalArgumentException(count + " tokens cannot carry " + perSecond
                    + " verifications/s with each code used once per minute; seed at least "
                    + (long) Math.ceil(perSecond * 72) + " (-Dtenants, -DtokensPerTenant)");
        }
    }

    private Session pick(Session session) {
        long k = Math.floorMod(next.getAndIncrement(), count);
        int tenant = firstTenant + (int) (k % tenants);
        int number = (int) (offset + k / tenants);
        return session.set("tenant", Fleet.tenantId(tenant)).set("key", Fleet.portalKey(tenant))
                .set("login", Fleet.login(number)).set("tenantNumber", tenant).set("number", number);
    }

    private static String body(Session session, boolean wrong) {
        byte[] seed = Fleet.seed(session.getInt("tenantNumber"), session.getInt("number"));
        long step = Totp.step(System.currentTimeMillis());
        String code = wrong ? Totp.wrongCode(seed, step) : Totp.code(seed, step);
        return "{\"otp\":\"" + code + "\",\"operation\":\"LOGIN\"}";
    }

    /** A valid code to one of the gateway's benchmark ceilings ({@code redis}, {@code durable}): ACCEPTED expected. */
    ChainBuilder ceiling(String which) {
        return exec(this::pick)
                .exec(http(which).post("/benchmark/" + which + "/#{tenant}/#{login}")
                        .body(StringBody(session -> body(session, false)))
                        .check(status().is(200), io.gatling.javaapi.core.CoreDsl.jsonPath("$.result").is("ACCEPTED")));
    }

    /** A valid code (200 expected) or, with probability {@code wrongShare}, a wrong one (422 expected). */
    ChainBuilder chain(String name, double wrongShare) {
        return exec(this::pick)
                .randomSwitchOrElse().on(
                        new io.gatling.javaapi.core.Choice.WithWeight(wrongShare * 100,
                                exec(http(name + " (wrong code)")
                                        .post("/v1/tenants/#{tenant}/users/#{login}/otp/verification")
                                        .header("Authorization", "Bearer #{key}")
                                        .body(StringBody(session -> body(session, true)))
                                        .check(status().is(422)))))
                .orElse(exec(http(name).post("/v1/tenants/#{tenant}/users/#{login}/otp/verification")
                        .header("Authorization", "Bearer #{key}")
                        .body(StringBody(session -> body(session, false)))
                        .check(status().is(200))));
    }

    /** A payment decision that needs the current code (R9): 201 with otpVerified. */
    ChainBuilder payment(String name) {
        return exec(this::pick)
                .exec(http(name).post("/v1/tenants/#{tenant}/transactions")
                        .header("Authorization", "Bearer #{key}")
                        .body(StringBody(session -> {
                            byte[] seed = Fleet.seed(session.getInt("tenantNumber"), session.getInt("number"));
                            String code = Totp.code(seed, Totp.step(System.currentTimeMillis()));
                            return "{\"loginId\":\"" + session.getString("login") + "\",\"type\":\"PAYMENT\","
                                    + "\"amount\":12000,\"payeeRegistered\":false,\"otp\":\"" + code + "\"}";
                        }))
                        .check(status().is(201)));
    }

    /** Always a wrong code: 422 until the token locks, then 423; 429 when the tenant is over its limits. */
    ChainBuilder wrongCodes(String name) {
        return exec(this::pick)
                .exec(http(name).post("/v1/tenants/#{tenant}/users/#{login}/otp/verification")
                        .header("Authorization", "Bearer #{key}")
                        .body(StringBody(session -> body(session, true)))
                        .check(status().in(422, 423, 429)));
    }
}
