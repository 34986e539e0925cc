package jp.otpgateway.gateway.verification;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import jp.otpgateway.gateway.OtpGatewayApplication;
import jp.otpgateway.gateway.verification.adapter.cache.InMemoryActiveTokenCache;
import jp.otpgateway.gateway.verification.application.port.ActiveTokenCache;
import jp.otpgateway.gateway.support.SecondGateway;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** {@code otp.hot-path.token-cache-size: 0}: no cache, no listener, every verification reads PostgreSQL. */
@IntegrationTest
class CacheOffIT extends TwoTenantsTest {

    @Test
    void withoutTheCacheEveryVerificationReadsTheDatabaseAndStillWorks() {
        var shared = clock;
        try (ConfigurableApplicationContext off = SecondGateway.builder()
                .profiles("test")
                .properties("server.port=0", "otp.hot-path.token-cache-size=0")
                .initializers(context -> ((GenericApplicationContext) context)
                        .registerBean("testClock", Clock.class, () -> shared))
                .run()) {
            assertThat(off.getBean(ActiveTokenCache.class)).isSameAs(ActiveTokenCache.NONE);
            assertThat(off.getBeanNamesForType(InMemoryActiveTokenCache.class)).isEmpty();
            WebTestClient client = WebTestClient.bindToServer()
                    .baseUrl("http://localhost:" + off.getEnvironment().getProperty("local.server.port"))
                    .responseTimeout(Duration.ofSeconds(30)).build();
            OtpApi api = new OtpApi(client, ALPHA, ALPHA_PORTAL, ALPHA_OPERATOR, clock);
            String login = api.activeUser();
            api.verify(login, api.code()).expectStatus().isOk();
            api.verify(login, api.code()).expectStatus().isEqualTo(422)
                    .expectBody().jsonPath("$.code").isEqualTo("OTP_REPLAYED");
            client.get().uri("/actuator/health").exchange().expectBody()
                    .jsonPath("$.components.activeTokenCache").doesNotExist();
        }
    }
}
