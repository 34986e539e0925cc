package jp.otpgateway.gateway.shared.adapter.web;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_PORTAL;

import java.nio.charset.StandardCharsets;
import jp.otpgateway.gateway.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/** Framework-level errors are problems with a code and a Japanese message too. */
@IntegrationTest
class HttpErrorsIT {

    static final String USER = "/v1/tenants/" + ALPHA + "/users/errors-it";

    @Autowired
    WebTestClient http;

    WebTestClient.RequestBodySpec put() {
        return http.put().uri(USER).headers(h -> h.setBearerAuth(ALPHA_PORTAL));
    }

    static void isProblem(WebTestClient.ResponseSpec response, int status, String code) {
        response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(status)
                .jsonPath("$.code").isEqualTo(code)
                .jsonPath("$.message").isNotEmpty()
                .jsonPath("$.type").isNotEmpty()
                .jsonPath("$.title").isNotEmpty();
    }

    @Test
    void malformedJsonIs400() {
        isProblem(put().contentType(MediaType.APPLICATION_JSON).bodyValue("{\"contractId\": ").exchange(),
                400, "VALIDATION_FAILED");
    }

    @Test
    void jsonOfTheWrongShapeIs400() {
        isProblem(put().contentType(MediaType.APPLICATION_JSON).bodyValue("[1, 2]").exchange(), 400, "VALIDATION_FAILED");
    }

    @Test
    void missingBodyIs400() {
        isProblem(put().contentType(MediaType.APPLICATION_JSON).exchange(), 400, "VALIDATION_FAILED");
    }

    @Test
    void wrongContentTypeIs415() {
        isProblem(put().contentType(MediaType.TEXT_PLAIN).bodyValue("contractId=C1").exchange(),
                415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void bodyOverSixtyFourKibibytesIs413() {
        String name = "a".repeat(70_000);
        isProblem(put().contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"contractId\": \"C1\", \"name\": \"" + name + "\", \"role\": \"GENERAL\"}").exchange(),
                413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void chunkedBodyOverTheLimitIs413() {
        byte[] chunk = ("{\"contractId\": \"C1\", \"name\": \"" + "a".repeat(20_000)).getBytes(StandardCharsets.UTF_8);
        var buffers = Flux.range(0, 5).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(i == 0 ? chunk
                : "a".repeat(20_000).getBytes(StandardCharsets.UTF_8)));
        isProblem(put().contentType(MediaType.APPLICATION_JSON).body(buffers, org.springframework.core.io.buffer.DataBuffer.class)
                .exchange(), 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void unknownRouteUnderATenantIs404NotFound() {
        isProblem(http.get().uri("/v1/tenants/" + ALPHA + "/nothing-here").headers(h -> h.setBearerAuth(ALPHA_PORTAL))
                .exchange(), 404, "NOT_FOUND");
    }

    @Test
    void wrongMethodIs405() {
        isProblem(http.delete().uri(USER + "/otp").headers(h -> h.setBearerAuth(ALPHA_PORTAL)).exchange(),
                405, "METHOD_NOT_ALLOWED");
    }
}
