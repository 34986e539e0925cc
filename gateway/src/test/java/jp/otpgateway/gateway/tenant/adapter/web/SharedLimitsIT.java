package jp.otpgateway.gateway.tenant.adapter.web;

import static jp.otpgateway.gateway.support.IntegrationTest.GAMMA;
import static jp.otpgateway.gateway.support.IntegrationTest.GAMMA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jp.otpgateway.gateway.OtpGatewayApplication;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A tenant's requests per second are counted over every instance (it-gamma: 5 per second, on two
 * instances sharing one Redis): requests sent alternately to both within one second get 5 answers
 * in all, not 5 from each. The bulkhead stays per instance (TenantIsolationIT).
 */
@IntegrationTest
class SharedLimitsIT extends TwoTenantsTest {

    private static ConfigurableApplicationContext second;

    @AfterAll
    static void stopSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void twoInstancesTogetherLetThroughTheTenantsRateNotTwiceIt() throws InterruptedException {
        var shared = clock;
        second = new SpringApplicationBuilder(OtpGatewayApplication.class)
                .profiles("test")
                .properties("server.port=0")
                .initializers(context -> ((GenericApplicationContext) context).registerBean("testClock", Clock.class, () -> shared))
                .run();
        WebTestClient other = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + second.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(30)).build();
        List<WebTestClient> instances = List.of(http, other);
        // A 404 (no such user) is answered after the limits, so each request counts; sequential, so
        // the per-instance bulkhead (2 at a time) never refuses one.
        for (WebTestClient instance : instances) { // warm both up, outside the measured second
            instance.get().uri("/v1/tenants/{t}/users/nobody/otp", GAMMA).headers(h -> h.setBearerAuth(GAMMA_PORTAL)).exchange();
        }
        for (int attempt = 0; ; attempt++) {
            Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 20); // just after a second begins
            long second = System.currentTimeMillis() / 1000;
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                statuses.add(instances.get(i % 2).get().uri("/v1/tenants/{t}/users/nobody/otp", GAMMA)
                        .headers(h -> h.setBearerAuth(GAMMA_PORTAL)).exchange().returnResult(String.class).getStatus().value());
            }
            if (System.currentTimeMillis() / 1000 != second && attempt < 5) {
                continue; // the twelve did not fit in one second on this machine: again
            }
            assertThat(statuses).as("answers %s", statuses).containsOnly(404, 429);
            assertThat(statuses.stream().filter(s -> s == 404).count()).as("answers %s", statuses).isEqualTo(5);
            return;
        }
    }
}
