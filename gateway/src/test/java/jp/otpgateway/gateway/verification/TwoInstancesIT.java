package jp.otpgateway.gateway.verification;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_PORTAL;
import static jp.otpgateway.gateway.support.IntegrationTest.BETA;
import static jp.otpgateway.gateway.support.IntegrationTest.BETA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.BETA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jp.otpgateway.gateway.OtpGatewayApplication;
import jp.otpgateway.gateway.verification.adapter.cache.InMemoryActiveTokenCache;
import jp.otpgateway.gateway.support.SecondGateway;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TestClock;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Two gateway instances on one PostgreSQL and one Redis, as behind a load balancer: a lifecycle
 * change made through one instance reaches the other's in-memory active tokens, and the other
 * answers as the database says at once, whether or not the announcement has arrived yet.
 */
@IntegrationTest
class TwoInstancesIT extends TwoTenantsTest {

    private static ConfigurableApplicationContext second;

    @Autowired
    InMemoryActiveTokenCache cache;

    OtpApi alphaOnSecond;
    OtpApi betaOnSecond;

    @BeforeEach
    void secondInstance() {
        if (second == null) {
            TestClock shared = clock; // both instances on the tests' clock
            second = SecondGateway.builder()
                    .profiles("test")
                    .properties("server.port=0")
                    .initializers(context -> ((GenericApplicationContext) context)
                            .registerBean("testClock", Clock.class, () -> shared))
                    .run();
        }
        WebTestClient client = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + second.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(30)).build();
        alphaOnSecond = new OtpApi(client, ALPHA, ALPHA_PORTAL, ALPHA_OPERATOR, clock);
        betaOnSecond = new OtpApi(client, BETA, BETA_PORTAL, BETA_OPERATOR, clock);
    }

    @AfterAll
    static void stopSecondInstance() {
        if (second != null) {
            second.close();
            second = null;
        }
    }

    InMemoryActiveTokenCache secondCache() {
        return second.getBean(InMemoryActiveTokenCache.class);
    }

    @Test
    void aDeactivationThroughOneInstanceStopsTheTokenOnTheOtherAtOnceAndIsAnnouncedToIt() {
        String asked = beta.activeUser();
        String quiet = beta.activeUser();
        for (String login : List.of(asked, quiet)) {
            beta.verify(login, beta.code()).expectStatus().isOk();
            assertThat(cache.get(BETA, login)).isPresent();
        }
        clock.advance(Duration.ofSeconds(60));

        for (String login : List.of(asked, quiet)) {
            betaOnSecond.portalPost("/users/{l}/otp/deactivation", Map.of(), login).expectStatus().isOk();
        }
        // At once: the first instance refuses the deactivated token, announcement or not.
        beta.verify(asked, beta.code()).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("OTP_NOT_ACTIVE");
        // And the announcement reaches it: the user it was not asked about is forgotten too.
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.get(BETA, quiet).isEmpty());
    }

    @Test
    void anUnlockThroughOneInstanceFreesTheTokenOnTheOtherAtOnce() {
        String login = alpha.activeUser();
        alpha.verify(login, alpha.code()).expectStatus().isOk();
        clock.advance(Duration.ofSeconds(60));
        for (int i = 0; i < 5; i++) {
            alpha.verify(login, alpha.wrongCode()).expectStatus().isEqualTo(422);
        }
        alpha.verify(login, alpha.code()).expectStatus().isEqualTo(423);
        assertThat(cache.get(ALPHA, login)).isPresent();

        alphaOnSecond.operatorPost("/operator/unlocks", Map.of("loginIds", List.of(login), "staffId", "clerk-01")).expectStatus().isOk();

        alpha.verify(login, alpha.code()).expectStatus().isOk();
    }

    @Test
    void aResynchronisationThroughOneInstanceMovesTheWindowOfTheOther() {
        String login = alpha.activeUser();
        alpha.verify(login, alpha.code()).expectStatus().isOk();
        assertThat(cache.get(ALPHA, login)).isPresent();
        clock.advance(Duration.ofSeconds(60));

        // the key-fob runs five steps fast; the user resynchronises through the second instance
        alphaOnSecond.portalPost("/users/{l}/otp/resync", Map.of("otp1", OtpApi.codeAt(clock.instant().plusSeconds(240)),
                        "otp2", OtpApi.codeAt(clock.instant().plusSeconds(300))), login)
                .expectStatus().isOk().expectBody().jsonPath("$.driftSteps").isEqualTo(5);
        // the new drift is announced: the first instance forgets its copy of the token ...
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.get(ALPHA, login).isEmpty());
        // ... and searches around the token's clock from then on
        clock.advance(Duration.ofSeconds(60));
        alpha.verify(login, OtpApi.codeAt(clock.instant().plusSeconds(300))).expectStatus().isOk();
    }

    @Test
    void aLossReportThroughOneInstanceSuspendsEverySharerOnTheOtherAtOnce() {
        String contract = OtpApi.newContract();
        String serial = alpha.token();
        List<String> sharers = List.of(alpha.user(contract, "GENERAL"), alpha.user(contract, "GENERAL"));
        for (String login : sharers) {
            alpha.activated(login, serial);
            clock.advance(Duration.ofSeconds(60));
            alpha.verify(login, alpha.code()).expectStatus().isOk();
            assertThat(cache.get(ALPHA, login)).isPresent();
            clock.advance(Duration.ofSeconds(60));
        }

        alphaOnSecond.operatorPost("/operator/tokens/{s}/suspension", Map.of("reason", "LOST", "staffId", "clerk-01"),
                serial).expectStatus().isOk().expectBody().jsonPath("$.suspended.length()").isEqualTo(2);

        // At once on the first instance, with its cached entry or without.
        alpha.verify(sharers.get(0), alpha.code()).expectStatus().isEqualTo(423)
                .expectBody().jsonPath("$.code").isEqualTo("TOKEN_SUSPENDED");
        alpha.portalPost("/transactions", OtpApi.transaction(sharers.get(1), "LOGIN", 0, false, alpha.code()))
                .expectStatus().isEqualTo(423).expectBody().jsonPath("$.code").isEqualTo("TOKEN_SUSPENDED");
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.get(ALPHA, sharers.get(1)).isEmpty());
        alpha.verify(sharers.get(1), alpha.code()).expectStatus().isEqualTo(423);
    }

    @Test
    void twoInstancesClosingOneMonthAtOnceCloseItOnce() throws Exception {
        String month = java.time.YearMonth.of(java.util.concurrent.ThreadLocalRandom.current().nextInt(3000, 3999), 4)
                .toString();
        clock.fix(java.time.LocalDate.parse(month + "-20").atStartOfDay(java.time.ZoneId.of("Asia/Tokyo")).toInstant());
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<String>> closedAt = new java.util.ArrayList<>();
            for (OtpApi instance : List.of(alpha, alphaOnSecond)) {
                closedAt.add(two.submit(() -> {
                    start.await();
                    return (String) instance.operatorPost("/operator/billing/{m}/closing", Map.of("staffId", "clerk-01"),
                            month).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody()
                            .get("closedAt");
                }));
            }
            assertThat(closedAt.get(0).get(30, java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo(closedAt.get(1).get(30, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            two.shutdownNow();
        }
        assertThat(second.getBean(org.springframework.r2dbc.core.DatabaseClient.class)
                .sql("SELECT count(*) FROM billing_statements WHERE tenant_id = 'it-alpha' AND month = :m")
                .bind("m", month).map(row -> row.get(0, Long.class)).one().block()).isEqualTo(1);
    }

    @Test
    void bothInstancesListenOnConnectionsOfTheirOwn() {
        http.get().uri("/actuator/health").exchange().expectBody()
                .jsonPath("$.components.activeTokenCache.details.listening").isEqualTo(true);
        assertThat(secondCache().isListening()).isTrue();
        assertThat(secondCache()).isNotSameAs(cache);
    }
}
