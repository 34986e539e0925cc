package jp.otpgateway.gateway.tenant.adapter.web;

import static jp.otpgateway.gateway.support.IntegrationTest.GAMMA;
import static jp.otpgateway.gateway.support.IntegrationTest.GAMMA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.GAMMA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.Parallel;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * One credit union's storm meets its own limits (it-gamma: 5 requests/s, 2 at a time) while the
 * other tenants' requests go on (docs/architecture.md, Failure model).
 */
@IntegrationTest
@SuppressWarnings("rawtypes")
class TenantIsolationIT extends TwoTenantsTest {

    @Test
    void aStormOverOneTenantsLimitsIsRefusedWhileTheOthersGoOn() {
        OtpApi gamma = new OtpApi(http, GAMMA, GAMMA_PORTAL, GAMMA_OPERATOR, clock);
        String gammaUser = gamma.user(OtpApi.newContract(), "GENERAL");
        String alphaUser = alpha.user(OtpApi.newContract(), "GENERAL");

        List<EntityExchangeResult<Map>> results = Parallel.requests(40,
                i -> i % 2 == 0 ? gamma.status(gammaUser) : alpha.status(alphaUser));

        List<EntityExchangeResult<Map>> gammas = results.stream()
                .filter(r -> r.getUrl().getPath().contains("/" + GAMMA + "/")).toList();
        List<EntityExchangeResult<Map>> alphas = results.stream()
                .filter(r -> !r.getUrl().getPath().contains("/" + GAMMA + "/")).toList();
        assertThat(alphas).hasSize(20).allSatisfy(r -> assertThat(r.getStatus().value()).isEqualTo(200));
        assertThat(Parallel.count(gammas, 429)).isGreaterThanOrEqualTo(10);
        assertThat(gammas).filteredOn(r -> r.getStatus().value() == 429).allSatisfy(r -> {
            assertThat(r.getResponseBody().get("code")).isEqualTo("RATE_LIMITED");
            assertThat(r.getResponseBody().get("message")).isNotNull();
            assertThat(r.getResponseHeaders().getFirst("Retry-After")).isEqualTo("1");
        });
        assertThat(gammas).filteredOn(r -> r.getStatus().value() != 429)
                .allSatisfy(r -> assertThat(r.getStatus().value()).isEqualTo(200));
    }

    @Test
    void aRefusedRequestDoesNotClaimItsIdempotencyKey() {
        OtpApi gamma = new OtpApi(http, GAMMA, GAMMA_PORTAL, GAMMA_OPERATOR, clock);
        String login = "storm-" + UUID.randomUUID().toString().substring(0, 8);
        String key = "retry-" + UUID.randomUUID();
        Map<String, Object> body = OtpApi.transaction(login, "TRANSFER", 1_000, false, null);

        List<EntityExchangeResult<Map>> storm = Parallel.requests(12,
                i -> gamma.portalPostKeyed(key, "/transactions", body));

        // The 429s changed nothing and kept nothing: every answer that is not 429 is the first one (404, no user).
        assertThat(Parallel.count(storm, 429)).isGreaterThanOrEqualTo(1);
        assertThat(storm).filteredOn(r -> r.getStatus().value() != 429)
                .allSatisfy(r -> assertThat(r.getResponseBody().get("code")).isEqualTo("USER_NOT_FOUND"));
        Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                gamma.portalPostKeyed(key, "/transactions", body).expectStatus().isNotFound());
    }
}
