package jp.otpgateway.gateway.verification.adapter.cache;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>An instance that might miss one must not cache. Every heartbeat the connection announces a
 * heartbeat of its own on the channel ({@code heartbeat:<application name>:<n>}) and must hear it
 * back before the next: the cache is on only from the first heartbeat heard, and a lost or silent
 * connection, or a heartbeat not heard back, turns it off (and empties it) until listening again,
 * retried with back-off. That also catches a {@code LISTEN} sent through a transaction pooler
 * (PgBouncer): the pooler registers it on some server connection and hands that connection's
 * notifications to whichever client holds it next, so this instance would miss announcements;
 * its own heartbeat then does not come back and the cache stays off (docs/architecture.md).
 */
public final class PostgresTokenChanges implements SmartLifecycle {

    public static final String CHANNEL = "otp_active_tokens";
    static final String HEARTBEAT = "heartbeat:";
    private static final Logger log = LoggerFactory.getLogger(PostgresTokenChanges.class);

    private final ConnectionFactory connections;
    private final String applicationName;
    private final InMemoryActiveTokenCache cache;
    private final Duration heartbeat;
    private volatile Disposable loop;
    private volatile boolean warnedDeaf;

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
        loop = Flux.usingWhen(Mono.from(connections.create()),
                        listener -> Flux.usingWhen(Mono.from(connections.create()), sender -> listen(listener, sender),
                                Connection::close),
                        Connection::close)
                .doOnError(e -> {
                    if (cache.isListening()) {
                        log.warn("active-token announcements lost ({}): cache off until listening again", e.toString());
                    } else if (!warnedDeaf) {
                        // never heard: said once, not at every retry (the health shows it meanwhile)
                        warnedDeaf = true;
                        log.warn("active-token announcements not heard ({}): cache off until they are", e.toString());
                    }
                    cache.listening(false);
                })
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(5)))
                .subscribe();
    }

    /**
     * Subscribes to the notifications first (they are not buffered), then LISTENs, then announces a
     * heartbeat at once and every heartbeat, each to be heard back before the next goes out. The
     * listening connection runs nothing but its LISTEN; the heartbeats go out on a second connection.
     * (Sent on the listening connection itself, a heartbeat came back even through PgBouncer when
     * nothing else used the pool: the pooler happened to hand the listening server connection back to
     * the same client for the NOTIFY, and its notification with it.)
     */
    private Flux<Void> listen(Connection listener, Connection sender) {
        PostgresqlConnection pg = (PostgresqlConnection) listener;
        AtomicLong sent = new AtomicLong();
        AtomicLong heard = new AtomicLong();
        String own = HEARTBEAT + applicationName + ":";
        Mono<Void> notifications = pg.getNotifications().doOnNext(n -> {
                    String payload = n.getParameter();
                    if (payload != null && payload.startsWith(own)) {
                        heard.accumulateAndGet(Long.parseLong(payload.substring(own.length())), Math::max);
                        if (!cache.isListening()) {
                            cache.listening(true);
                            log.info("hearing active-token announcements as {}: cache on", applicationName);
                        }
                    } else {
                        apply(payload);
                    }
                })
                .then(Mono.error(new IllegalStateException("the announcement connection closed")));
        Mono<Void> beats = pg.createStatement("LISTEN " + CHANNEL).execute()
                .flatMap(PostgresqlResult::getRowsUpdated).then()
                .thenMany(Flux.interval(Duration.ZERO, heartbeat))
                .concatMap(tick -> {
                    long last = sent.get();
                    if (last > 0 && heard.get() < last) {
                        return Mono.error(new IllegalStateException("heartbeat " + last + " was not heard back within "
                                + heartbeat + ": this LISTEN does not hear the channel (a transaction pooler between "
                                + "it and PostgreSQL? point otp.hot-path.announcements-url at PostgreSQL itself)"));
                    }
                    return ((PostgresqlConnection) sender).createStatement("SELECT pg_notify('" + CHANNEL + "', $1)")
                            .bind("$1", own + sent.incrementAndGet()).execute()
                            .flatMap(result -> result.map((row, meta) -> 1)).then()
                            .timeout(heartbeat);
                })
                .then();
        return Mono.when(notifications, beats).flux();
    }

    /** An announcement: "tenant serial", "*", or another instance's heartbeat (nothing to forget). */
    private void apply(String payload) {
        if (payload != null && payload.startsWith(HEARTBEAT)) {
            return;
        }
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
