package jp.otpgateway.gateway.support;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Value;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A database session of a test's own, outside the gateway's pool: temporary tables created in it
 * shadow the real ones for that session only and never reach a request. For EXPLAIN on copies of
 * the tables loaded as a bulk load leaves them (no statistics). A bean of every integration test
 * ({@link IntegrationTest} imports it).
 */
public class OwnSession {

    /** The tables the lookups join, copied with their indexes (LIKE … INCLUDING ALL) and empty. */
    public static final List<String> TABLES = List.of("users", "assignments", "tokens", "shipments",
            "software_issuances");

    @Value("${spring.r2dbc.url}")
    String url;
    @Value("${spring.r2dbc.username}")
    String user;
    @Value("${spring.r2dbc.password}")
    String password;

    ConnectionFactory factory() {
        return ConnectionFactories.get(ConnectionFactoryOptions.parse(url.replaceFirst("^r2dbc:pool:", "r2dbc:"))
                .mutate().option(ConnectionFactoryOptions.USER, user)
                .option(ConnectionFactoryOptions.PASSWORD, password).build());
    }

    /** Runs {@code work} in a new session with empty temporary copies of {@link #TABLES}; answers its rows. */
    public List<String> withTempCopies(Function<Connection, Flux<String>> work) {
        return Flux.usingWhen(Mono.from(factory().create()),
                c -> Flux.fromIterable(TABLES)
                        .concatMap(t -> run(c, "CREATE TEMP TABLE " + t + " (LIKE public." + t + " INCLUDING ALL)"))
                        .thenMany(Flux.defer(() -> work.apply(c))),
                Connection::close).collectList().block(Duration.ofSeconds(60));
    }

    /**
     * Runs {@code work} in a transaction of a new session and rolls it back: what it writes into the
     * real tables is never seen by a request or another test. Answers its rows.
     */
    public List<String> rolledBack(Function<Connection, Flux<String>> work) {
        return Flux.usingWhen(Mono.from(factory().create()),
                c -> Mono.from(c.beginTransaction()).thenMany(Flux.defer(() -> work.apply(c)))
                        .concatWith(Mono.from(c.rollbackTransaction()).then(Mono.empty())),
                Connection::close).collectList().block(Duration.ofSeconds(60));
    }

    public static Flux<Long> run(Connection c, String sql) {
        return Flux.from(c.createStatement(sql).execute()).flatMap(r -> r.getRowsUpdated());
    }

    /** The first column of every row, as text. */
    public static Flux<String> lines(Connection c, String sql) {
        return Flux.from(c.createStatement(sql).execute()).flatMap(r -> r.map((row, m) -> row.get(0, String.class)));
    }
}
