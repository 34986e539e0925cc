package jp.otpgateway.gateway.verification.adapter.cache;

import io.r2dbc.postgresql.api.Notification;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Hears the database's announcements of active-token changes (V7 triggers, channel
 * {@value #CHANNEL}) on a connection of its own and forgets the cache entries they name. PostgreSQL
 * sends a notification when the changing transaction commits, to every listening instance.
 *
 * <p>An instance that might miss one must not cache: the cache is on only from a confirmed
 * {@code LISTEN} on a live connection. The connection is checked every heartbeat; a lost or silent
 * connection turns the cache off (and empties it) until listening again, retried with back-off.
 */
public final class PostgresTokenChanges implements SmartLifecycle {

    public static final String CHANNEL = "otp_active_tokens";
    private static final Logger log = LoggerFactory.getLogger(PostgresTokenChanges.class);

    private final ConnectionFactory connections;
    private final String applicationName;
    private final InMemoryActiveTokenCache cache;
    private final Duration heartbeat;
    private volatile Disposable loop;

    /** {@code connections}: opens a plain connection (not from the pool) to the gateway's database. */
    public PostgresTokenChanges(ConnectionFactory connections, String applicationName, InMemoryActiveTokenCache cache,
                                Duration heartbeat) {
        this.connections = connections;
        this.applicationName = applicationName;
        this.cache = cache;
        this.heartbeat = heartbeat;
    }

    @Override
    public void start() {
        loop = Flux.usingWhen(Mono.from(connections.create()), this::listen, Connection::close)
                .doOnError(e -> {
                    if (cache.isListening()) {
                        log.warn("active-token announcements lost ({}): cache off until listening again", e.toString());
                    }
                    cache.listening(false);
                })
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(5)))
                .subscribe();
    }

    /** Subscribes to the notifications first (they are not buffered), then LISTENs, then checks the line. */
    private Flux<Void> listen(Connection connection) {
        PostgresqlConnection pg = (PostgresqlConnection) connection;
        Mono<Void> notifications = pg.getNotifications().doOnNext(this::apply)
                .then(Mono.error(new IllegalStateException("the announcement connection closed")));
        Mono<Void> subscribed = pg.createStatement("LISTEN " + CHANNEL).execute()
                .flatMap(PostgresqlResult::getRowsUpdated).then()
                .doOnSuccess(done -> {
                    cache.listening(true);
                    log.info("hearing active-token announcements as {}: cache on", applicationName);
                })
                .then(Mono.never());
        Mono<Void> alive = Flux.interval(heartbeat)
                .concatMap(tick -> pg.createStatement("SELECT 1").execute()
                        .flatMap(result -> result.map((row, meta) -> 1)).then()
                        .timeout(heartbeat))
                .then();
        return Mono.when(notifications, subscribed, alive).flux();
    }

    private void apply(Notification notification) {
        String payload = notification.getParameter();
        int space = payload == null ? -1 : payload.indexOf(' ');
        if (space < 0) {
            cache.invalidateAll(); // '*' (a table emptied), or anything this version does not know
        } else {
            cache.invalidate(payload.substring(0, space), payload.substring(space + 1));
        }
    }

    /** The listening connection's application_name (pg_stat_activity). */
    public String applicationName() {
        return applicationName;
    }

    @Override
    public void stop() {
        Disposable running = loop;
        if (running != null) {
            running.dispose();
        }
        cache.listening(false);
    }

    @Override
    public boolean isRunning() {
        Disposable running = loop;
        return running != null && !running.isDisposed();
    }
}
