package jp.otpgateway.gateway.shared.adapter.persistence;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jp.otpgateway.gateway.OtpGatewayApplication;
import jp.otpgateway.gateway.support.SecondGateway;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.Parallel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The suite's PostgreSQL checks passwords (scram-sha-256, deploy/test-postgres.sh), as a bank's does,
 * so every integration test logs in with SCRAM on event-loop threads under BlockHound. Here: the check
 * is real, SCRAM over TLS works in parallel without a blocking call, and a failed login is a 503 with
 * a log line, leaks no server slot, and heals once the password is right again.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class PostgresLoginIT {

    /** deploy/test-postgres.sh creates this member of {@code otp} with this password. */
    static final String PROBE = "otp_login_probe";
    static final String PROBE_INITIAL = "probe-initial";
    static final String PROBE_LATER = "probe-later";

    @Value("${spring.r2dbc.url}")
    String url;
    @Value("${spring.r2dbc.username}")
    String user;
    @Value("${spring.r2dbc.password}")
    String password;

    private static ConfigurableApplicationContext probeInstance;

    @AfterAll
    static void restore() {
        if (probeInstance != null) {
            probeInstance.close();
        }
    }

    ConnectionFactory factory(String username, String pass, String sslMode) {
        ConnectionFactoryOptions base = ConnectionFactoryOptions.parse(url.replaceFirst("^r2dbc:pool:", "r2dbc:"));
        return ConnectionFactories.get(base.mutate()
                .option(ConnectionFactoryOptions.USER, username)
                .option(ConnectionFactoryOptions.PASSWORD, pass)
                .option(io.r2dbc.spi.Option.valueOf("sslMode"), sslMode)
                .build());
    }

    static <T> Mono<T> withConnection(ConnectionFactory factory, String sql, Class<T> type) {
        return Mono.usingWhen(Mono.from(factory.create()),
                c -> Mono.from(c.createStatement(sql).execute()).flatMap(r -> Mono.from(r.map((row, m) -> row.get(0, type)))),
                Connection::close);
    }

    @Test
    void theDatabaseRefusesAWrongPassword() {
        assertThatThrownBy(() -> withConnection(factory(user, password + "-wrong", "disable"), "select 1", Integer.class)
                .block(Duration.ofSeconds(10)))
                .isInstanceOf(R2dbcPermissionDeniedException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void parallelScramLoginsOverTlsDoNotBlockAnEventLoop() {
        ConnectionFactory tls = factory(user, password, "require");
        List<Boolean> encrypted = Flux.range(0, 16)
                .flatMap(i -> withConnection(tls, "select ssl from pg_stat_ssl where pid = pg_backend_pid()", Boolean.class)
                        .subscribeOn(Schedulers.parallel()), 16)
                .collectList()
                .block(Duration.ofSeconds(30));
        assertThat(encrypted).hasSize(16).containsOnly(true);
    }

    @Test
    void aFailedLoginIsA503WithALogLineLeaksNoSlotAndHealsWhenThePasswordIsRight(CapturedOutput output) {
        ConnectionFactory admin = factory(user, password, "disable");
        probeInstance = SecondGateway.builder()
                .profiles("test")
                .run("--server.port=0", "--spring.r2dbc.username=" + PROBE, "--spring.r2dbc.password=" + PROBE_LATER,
                        "--spring.flyway.user=" + user, "--spring.flyway.password=" + password,
                        "--otp.hot-path.token-cache-size=0", "--spring.r2dbc.pool.initial-size=0");
        // (arguments, not builder properties: those rank below the SPRING_R2DBC_* environment of deploy/test.sh)
        WebTestClient client = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + probeInstance.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(30)).build();

        @SuppressWarnings("rawtypes")
        List<EntityExchangeResult<Map>> refused = Parallel.requests(24, i -> status(client, "probe-" + i));
        assertThat(refused).allSatisfy(r -> {
            assertThat(r.getStatus().value()).isEqualTo(503);
            assertThat(r.getResponseBody()).containsEntry("code", "UNAVAILABLE");
        });
        assertThat(output).contains("password authentication failed for user \"" + PROBE + "\"");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(withConnection(admin,
                "select count(*) from pg_stat_activity where usename = '" + PROBE + "'", Long.class).block())
                .isZero());

        withConnection(factory(PROBE, PROBE_INITIAL, "disable"), "alter role " + PROBE + " password '" + PROBE_LATER + "'",
                Object.class).block(Duration.ofSeconds(10));
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    status(client, "probe-healed").expectStatus().isNotFound()
                            .expectBody().jsonPath("$.code").isEqualTo("USER_NOT_FOUND"));
        } finally {
            withConnection(factory(PROBE, PROBE_LATER, "disable"), "alter role " + PROBE + " password '" + PROBE_INITIAL + "'",
                    Object.class).block(Duration.ofSeconds(10));
        }
    }

    static WebTestClient.ResponseSpec status(WebTestClient client, String login) {
        return client.get().uri("/v1/tenants/{t}/users/{l}/otp", ALPHA, login)
                .header("Authorization", "Bearer " + ALPHA_PORTAL).exchange();
    }
}
