package jp.otpgateway.gateway.verification;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_PORTAL;
import static jp.otpgateway.gateway.support.IntegrationTest.GAMMA;
import static jp.otpgateway.gateway.support.IntegrationTest.GAMMA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TcpProxy;
import jp.otpgateway.gateway.support.TestClock;
import jp.otpgateway.gateway.support.TestClockConfiguration;
import jp.otpgateway.gateway.support.TokenApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Redis stops answering mid-service: every OTP decision is 503, PostgreSQL is untouched, and service resumes. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
@ActiveProfiles("test")
@Import(TestClockConfiguration.class)
class RedisDownIT {

    static final TcpProxy REDIS;

    static {
        try {
            // The real Redis: where deploy/test.sh points the suite (SPRING_DATA_REDIS_PORT), else 6379.
            String port = System.getenv().getOrDefault("SPRING_DATA_REDIS_PORT", "6379");
            REDIS = new TcpProxy("127.0.0.1", Integer.parseInt(port));
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void redisThroughProxy(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.port", REDIS::port);
    }

    @AfterAll
    static void closeProxy() throws IOException {
        REDIS.close();
    }

    @Autowired
    WebTestClient http;

    @Autowired
    TestClock clock;

    @Autowired
    DatabaseClient db;

    Map<String, Object> durable(String serial) {
        return db.sql("SELECT t.locked, t.failure_count, t.last_used_step, "
                        + "(SELECT count(*) FROM audit_events e WHERE e.tenant_id = t.tenant_id AND e.serial = t.serial) AS events "
                        + "FROM tokens t WHERE t.tenant_id = :t AND t.serial = :s")
                .bind("t", ALPHA).bind("s", serial).fetch().one().block(Duration.ofSeconds(5));
    }

    @Test
    void verificationFailsClosedWithoutTouchingPostgresAndResumesWhenRedisReturns() {
        OtpApi alpha = new OtpApi(http, ALPHA, ALPHA_PORTAL, ALPHA_OPERATOR, clock);
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        String serial = alpha.token();
        alpha.activated(login, serial);
        clock.advance(Duration.ofSeconds(60));
        Map<String, Object> before = durable(serial);

        REDIS.cut();
        try {
            for (String code : new String[] {alpha.code(), alpha.wrongCode()}) {
                alpha.verify(login, code).expectStatus().isEqualTo(503)
                        .expectHeader().exists("Retry-After")
                        .expectBody().jsonPath("$.code").isEqualTo("UNAVAILABLE");
            }
            assertThat(durable(serial)).isEqualTo(before);
        } finally {
            REDIS.restore();
        }

        String code = alpha.code();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                alpha.verify(login, code).expectStatus().isOk());
        assertThat(durable(serial).get("last_used_step")).isNotEqualTo(before.get("last_used_step"));
    }

    @Test
    void anUnavailableAnswerIsNotKeptForTheIdempotencyKey() {
        OtpApi alpha = new OtpApi(http, ALPHA, ALPHA_PORTAL, ALPHA_OPERATOR, clock);
        String login = alpha.activeUser();
        String key = "retry-" + java.util.UUID.randomUUID();
        Map<String, Object> body = Map.of("otp", alpha.code(), "operation", "LOGIN");

        REDIS.cut();
        try {
            alpha.portalPostKeyed(key, "/users/{l}/otp/verification", body, login).expectStatus().isEqualTo(503);
        } finally {
            REDIS.restore();
        }

        // The 503 changed nothing, so the retry with the same key acts and its answer is the one kept.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                alpha.portalPostKeyed(key, "/users/{l}/otp/verification", body, login).expectStatus().isOk());
        alpha.portalPostKeyed(key, "/users/{l}/otp/verification", body, login).expectStatus().isOk()
                .expectHeader().valueEquals("Idempotent-Replayed", "true");
    }

    @Test
    void theAppSetupFailsClosedWhileItsPerAddressLimitCannotBeCounted() {
        OtpApi alpha = new OtpApi(http, ALPHA, ALPHA_PORTAL, ALPHA_OPERATOR, clock);
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        Map<?, ?> issued = alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "SOFTWARE",
                        "email", "m@example.jp", "activationPassword", "1234"), login)
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        String serviceId = (String) issued.get("serviceId");
        String appUserId = (String) issued.get("appUserId");

        REDIS.cut();
        try {
            TokenApp.setup(http, TokenApp.newAddress(), serviceId, appUserId, "1234").expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.code").isEqualTo("UNAVAILABLE");
        } finally {
            REDIS.restore();
        }
        // Nothing was counted: the setup works once Redis is back.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                TokenApp.setup(http, TokenApp.newAddress(), serviceId, appUserId, "1234").expectStatus().isOk());
    }
}
