package jp.otpgateway.gateway.shared.adapter.resilience;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_PORTAL;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

/** PostgreSQL and Redis unreachable (nothing listens on port 1): fail closed with 503, health DOWN. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:1/otp_test",
    "spring.flyway.enabled=false",
    "spring.data.redis.port=1"
})
@AutoConfigureWebTestClient(timeout = "30s")
@ActiveProfiles("test")
class StoresDownIT {

    @Autowired
    WebTestClient http;

    @Test
    void statusReadWithoutDatabaseIs503UnavailableWithRetryAfter() {
        http.get().uri("/v1/tenants/{t}/users/somebody/otp", ALPHA)
                .headers(h -> h.setBearerAuth(ALPHA_PORTAL))
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("Retry-After", "5")
                .expectBody()
                .jsonPath("$.code").isEqualTo("UNAVAILABLE")
                .jsonPath("$.retryAfter").isEqualTo(5);
    }

    @Test
    void registrationWithoutDatabaseIs503() {
        http.put().uri("/v1/tenants/{t}/users/somebody", ALPHA)
                .headers(h -> h.setBearerAuth(ALPHA_PORTAL))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"contractId\": \"C1\", \"name\": \"x\", \"role\": \"GENERAL\"}")
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.code").isEqualTo("UNAVAILABLE");
    }

    @Test
    void healthIsDownAndNamesTheStores() {
        http.get().uri("/actuator/health").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody()
                .jsonPath("$.status").isEqualTo("DOWN")
                .jsonPath("$.components.r2dbc.status").isEqualTo("DOWN")
                .jsonPath("$.components.redis.status").isEqualTo("DOWN")
                .jsonPath("$.components.tenantConfig.status").isEqualTo("UP");
    }
}
