package jp.otpgateway.gateway.verification.adapter.cache;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import jp.otpgateway.gateway.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.reactivestreams.Publisher;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The announcement connection's heartbeat against the real PostgreSQL: the cache is trusted only
 * while the listener hears its own heartbeats on the channel. A LISTEN whose notifications go to
 * another connection (what a transaction pooler such as PgBouncer does with it) never turns the cache
 * on; other instances' heartbeats forget nothing.
 */
@IntegrationTest
class AnnouncementHeartbeatIT {

    static final Duration BEAT = Duration.ofMillis(300);

    /** PostgreSQL itself: the announcements' own URL where one is set (behind PgBouncer), else the gateway's. */
    @Value("${otp.hot-path.announcements-url:${spring.r2dbc.url}}")
    String url;

    @Value("${spring.r2dbc.username}")
    String username;

    @Value("${spring.r2dbc.password}")
    String password;

    @Autowired
    DatabaseClient db;

    InMemoryActiveTokenCache cache() {
        return new InMemoryActiveTokenCache(1000, Duration.ofMinutes(5), new SimpleMeterRegistry());
    }

    ConnectionFactory direct(String name) {
        return ActiveTokenCacheConfiguration.plainConnections(url, username, password, name);
    }

    /**
     * What a transaction pooler makes of a long-lived LISTEN: the statements run on one server
     * connection, the notifications the client receives come from another.
     */
    ConnectionFactory likeATransactionPooler() {
        ConnectionFactory statements = direct("it-heartbeat-statements");
        ConnectionFactory notifications = direct("it-heartbeat-notifications");
        return new ConnectionFactory() {
            @Override
            public Publisher<? extends Connection> create() {
                return Mono.zip(Mono.from(statements.create()), Mono.from(notifications.create()))
                        .map(both -> misrouted((PostgresqlConnection) both.getT1(), (PostgresqlConnection) both.getT2()));
            }

            @Override
            public ConnectionFactoryMetadata getMetadata() {
                return statements.getMetadata();
            }
        };
    }

    static Connection misrouted(PostgresqlConnection statements, PostgresqlConnection notifications) {
        return (Connection) Proxy.newProxyInstance(AnnouncementHeartbeatIT.class.getClassLoader(),
                new Class<?>[] {PostgresqlConnection.class}, (proxy, method, args) -> {
                    try {
                        return switch (method.getName()) {
                            case "getNotifications" -> method.invoke(notifications, args);
                            case "close" -> Mono.when(statements.close(), notifications.close());
                            default -> method.invoke(statements, args);
                        };
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aListenerThatHearsItsOwnHeartbeatTrustsItsCacheAndKeepsTrustingIt() {
        InMemoryActiveTokenCache cache = cache();
        PostgresTokenChanges changes = new PostgresTokenChanges(direct("it-heartbeat-direct"), "it-heartbeat-direct",
                cache, BEAT);
        changes.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(cache::isListening);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(cache::isListening);
        } finally {
            changes.stop();
        }
    }

    @Test
    void aListenThroughATransactionPoolerNeverTurnsTheCacheOn() {
        staysOff(likeATransactionPooler(), "it-heartbeat-pooled");
    }

    /** Against a real PgBouncer in transaction mode: deploy/test-pgbouncer.sh sets its URL. */
    @Test
    @EnabledIfEnvironmentVariable(named = "OTP_TEST_PGBOUNCER_URL", matches = ".+")
    void aListenThroughARealPgBouncerInTransactionModeNeverTurnsTheCacheOn() {
        staysOff(ActiveTokenCacheConfiguration.plainConnections(System.getenv("OTP_TEST_PGBOUNCER_URL"), username,
                password, "it-heartbeat-pgbouncer"), "it-heartbeat-pgbouncer");
    }

    /** Listening through {@code connections}, the cache never turns on (no heartbeat comes back). */
    private void staysOff(ConnectionFactory connections, String name) {
        InMemoryActiveTokenCache cache = cache();
        PostgresTokenChanges changes = new PostgresTokenChanges(connections, name, cache, BEAT);
        changes.start();
        try {
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> !cache.isListening());
        } finally {
            changes.stop();
        }
    }

    @Test
    void anotherInstancesHeartbeatForgetsNothingAndAnAnnouncementStillDoes() {
        InMemoryActiveTokenCache cache = cache();
        PostgresTokenChanges changes = new PostgresTokenChanges(direct("it-heartbeat-other"), "it-heartbeat-other",
                cache, Duration.ofSeconds(30));
        changes.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(cache::isListening);
            long before = cache.ticket();
            db.sql("SELECT pg_notify('" + PostgresTokenChanges.CHANNEL + "', 'heartbeat:otp-gateway-announcements-x:7')")
                    .fetch().rowsUpdated().block();
            db.sql("SELECT pg_notify('" + PostgresTokenChanges.CHANNEL + "', 'it-nowhere 000000000000')")
                    .fetch().rowsUpdated().block();
            // notifications arrive in commit order: the announcement counts once; a heartbeat taken for
            // "forget everything" would count once more
            await().atMost(Duration.ofSeconds(5)).until(() -> cache.ticket() > before);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> cache.ticket() == before + 1);
        } finally {
            changes.stop();
        }
    }
}
