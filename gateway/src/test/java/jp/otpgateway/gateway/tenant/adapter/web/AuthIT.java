package jp.otpgateway.gateway.tenant.adapter.web;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_PORTAL;
import static jp.otpgateway.gateway.support.IntegrationTest.BETA;
import static jp.otpgateway.gateway.support.IntegrationTest.BETA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import jp.otpgateway.gateway.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class AuthIT {

    @Autowired
    WebTestClient http;

    WebTestClient.ResponseSpec get(String path, String authorization) {
        return http.get().uri(path)
                .headers(h -> {
                    if (authorization != null) {
                        h.set(HttpHeaders.AUTHORIZATION, authorization);
                    }
                })
                .exchange();
    }

    Map<String, Object> problem(String path, String authorization, int status) {
        return get(path, authorization).expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                .returnResult().getResponseBody();
    }

    @Test
    void noKeyIs401() {
        assertThat(problem("/v1/tenants/it-alpha/users/x/otp", null, 401))
                .containsEntry("code", "UNAUTHENTICATED").containsEntry("status", 401)
                .containsKeys("type", "title", "detail", "message");
    }

    @Test
    void keyThatNoTenantKnowsIs401() {
        assertThat(problem("/v1/tenants/it-alpha/users/x/otp", "Bearer wrong-key", 401))
                .containsEntry("code", "UNAUTHENTICATED");
    }

    @Test
    void otherSchemesThanBearerAre401() {
        assertThat(problem("/v1/tenants/it-alpha/users/x/otp", "Basic " + ALPHA_PORTAL, 401))
                .containsEntry("code", "UNAUTHENTICATED");
        assertThat(problem("/v1/tenants/it-alpha/users/x/otp", "Bearer ", 401))
                .containsEntry("code", "UNAUTHENTICATED");
    }

    @Test
    void keyOfTenantAOnTenantBsPathIsExactlyLikeAnUnknownTenant() {
        Map<String, Object> foreign = problem("/v1/tenants/" + BETA + "/users/x/otp", "Bearer " + ALPHA_PORTAL, 404);
        Map<String, Object> unknown = problem("/v1/tenants/no-such-tenant/users/x/otp", "Bearer " + ALPHA_PORTAL, 404);
        foreign.remove("instance");
        unknown.remove("instance");
        assertThat(foreign).isEqualTo(unknown).containsEntry("code", "TENANT_NOT_FOUND");
    }

    @Test
    void portalKeyOnOperatorPathIs403() {
        assertThat(problem("/v1/tenants/" + ALPHA + "/operator/shipments", "Bearer " + ALPHA_PORTAL, 403))
                .containsEntry("code", "FORBIDDEN");
    }

    @Test
    void operatorKeyOnPortalPathIs403() {
        assertThat(problem("/v1/tenants/" + ALPHA + "/users/x/otp", "Bearer " + ALPHA_OPERATOR, 403))
                .containsEntry("code", "FORBIDDEN");
    }

    @Test
    void operatorKeyPassesAuthenticationOnOperatorPaths() {
        http.get().uri("/v1/tenants/{t}/operator/shipments", ALPHA)
                .header("Authorization", "Bearer " + ALPHA_OPERATOR)
                .exchange().expectStatus().isOk();
        assertThat(problem("/v1/tenants/" + ALPHA + "/operator/no-such-call", "Bearer " + ALPHA_OPERATOR, 404))
                .containsEntry("code", "NOT_FOUND");
    }

    @Test
    void tenantIdOutsideItsCharacterSetIs400() {
        Map<String, Object> problem = problem("/v1/tenants/IT_ALPHA/users/x/otp", "Bearer " + ALPHA_PORTAL, 400);
        assertThat(problem).containsEntry("code", "VALIDATION_FAILED");
        assertThat(problem.get("errors").toString()).contains("field=tenantId", "信用組合ID");
    }

    @Test
    void publicEndpointsNeedNoKey() {
        get("/actuator/health", null).expectStatus().isOk();
        get("/v3/api-docs", null).expectStatus().isOk();
    }

    @Test
    void keysNeverAppearInTheLogs(CapturedOutput output) {
        problem("/v1/tenants/" + BETA + "/users/x/otp", "Bearer " + ALPHA_PORTAL, 404);
        problem("/v1/tenants/" + ALPHA + "/operator/x", "Bearer " + ALPHA_PORTAL, 403);
        get("/v1/tenants/" + BETA + "/users/x/otp", "Bearer " + BETA_PORTAL).expectStatus().isNotFound();
        get("/v1/tenants/" + ALPHA + "/users/x/otp", "Bearer some-secret-but-unknown").expectStatus().isUnauthorized();
        assertThat(output.getAll()).doesNotContain(ALPHA_PORTAL, BETA_PORTAL, "some-secret-but-unknown");
    }
}
