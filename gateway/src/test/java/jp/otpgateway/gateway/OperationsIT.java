package jp.otpgateway.gateway;

import jp.otpgateway.gateway.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

@IntegrationTest
class OperationsIT {

    @Autowired
    WebTestClient http;

    @Test
    void healthCoversPostgresRedisAndTenantConfiguration() {
        http.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.r2dbc.status").isEqualTo("UP")
                .jsonPath("$.components.redis.status").isEqualTo("UP")
                .jsonPath("$.components.tenantConfig.status").isEqualTo("UP")
                .jsonPath("$.components.tenantConfig.details.tenants").value(t ->
                        org.assertj.core.api.Assertions.assertThat((java.util.List<Object>) t).contains("it-alpha", "it-beta"));
    }

    @Test
    void readinessProbeIncludesTheStores() {
        http.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.components.r2dbc.status").isEqualTo("UP");
    }

    @Test
    void prometheusMetricsAreServed() {
        // The scrape grows with every tenant and outcome counted so far: more than the API's 64 KiB bodies.
        http.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build()
                .get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body ->
                        org.assertj.core.api.Assertions.assertThat(body).contains("jvm_memory_used_bytes"));
    }

    @Test
    void openApiDocumentDescribesTheUserEndpoints() {
        http.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.paths['/v1/tenants/{tenantId}/users/{loginId}'].put").exists()
                .jsonPath("$.paths['/v1/tenants/{tenantId}/users/{loginId}/otp'].get").exists()
                .jsonPath("$.components.securitySchemes.apiKey.scheme").isEqualTo("bearer");
    }
}
