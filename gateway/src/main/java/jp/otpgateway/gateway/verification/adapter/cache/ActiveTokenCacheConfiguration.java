package jp.otpgateway.gateway.verification.adapter.cache;

import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import jp.otpgateway.gateway.tenant.application.TenantRegistry;
import jp.otpgateway.gateway.verification.application.PreloadingActiveTokens;
import jp.otpgateway.gateway.verification.application.port.ActiveTokenCache;
import jp.otpgateway.gateway.verification.application.port.ActiveTokens;
import jp.otpgateway.gateway.config.OtpProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The in-memory active tokens, the listener that keeps them true and the preload that fills them,
 * unless {@code otp.hot-path.token-cache-size} is 0: then every verification reads PostgreSQL.
 */
@Configuration(proxyBeanMethods = false)
class ActiveTokenCacheConfiguration {

    private static final String CACHE_ON = "${otp.hot-path.token-cache-size:500000} > 0";

    /** Rows per statement of the preload: a page is read in a few milliseconds, beside live traffic. */
    static final int PRELOAD_PAGE = 1000;

    @Bean
    @ConditionalOnExpression(CACHE_ON)
    InMemoryActiveTokenCache activeTokenCache(OtpProperties properties, MeterRegistry meters) {
        OtpProperties.HotPath hot = properties.hotPath();
        return new InMemoryActiveTokenCache(hot.tokenCacheSize(), hot.tokenCacheTtl(), meters);
    }

    @Bean
    @ConditionalOnExpression(CACHE_ON)
    PostgresTokenChanges postgresTokenChanges(InMemoryActiveTokenCache cache, OtpProperties properties,
                                              @Value("${otp.hot-path.announcements-url:${spring.r2dbc.url}}") String url,
                                              @Value("${spring.r2dbc.username:#{null}}") String username,
                                              @Value("${spring.r2dbc.password:#{null}}") String password) {
        String name = "otp-gateway-announcements-" + UUID.randomUUID().toString().substring(0, 8);
        return new PostgresTokenChanges(plainConnections(url, username, password, name), name, cache,
                properties.hotPath().invalidationHeartbeat());
    }

    @Bean
    @ConditionalOnExpression(CACHE_ON)
    ActiveTokenCacheHealthIndicator activeTokenCacheHealthIndicator(InMemoryActiveTokenCache cache,
                                                                    PostgresTokenChanges announcements) {
        return new ActiveTokenCacheHealthIndicator(cache, announcements);
    }

    @Bean
    @ConditionalOnExpression(CACHE_ON)
    PreloadingActiveTokens preloadingActiveTokens(ActiveTokens tokens, InMemoryActiveTokenCache cache,
                                                  TenantRegistry tenants, OtpProperties properties, Clock clock) {
        return new PreloadingActiveTokens(tokens, cache,
                () -> List.copyOf(tenants.snapshot().tenants().keySet()),
                properties.hotPath().tokenCacheSize(), PRELOAD_PAGE, clock);
    }

    @Bean
    @ConditionalOnExpression(CACHE_ON)
    ActiveTokenPreloader activeTokenPreloader(PreloadingActiveTokens preloading, InMemoryActiveTokenCache cache,
                                              OtpProperties properties, MeterRegistry meters) {
        OtpProperties.HotPath hot = properties.hotPath();
        return new ActiveTokenPreloader(preloading, cache, hot.tokenCacheTtl(), hot.preload(), meters);
    }

    @Bean
    @ConditionalOnExpression("!(" + CACHE_ON + ")")
    ActiveTokenCache noActiveTokenCache() {
        return ActiveTokenCache.NONE;
    }

    /**
     * The gateway's database without the pool: a LISTEN holds its connection for the instance's
     * life; the application name tells each instance's connection apart in pg_stat_activity. The
     * URL's pool part is dropped. A PgBouncer in transaction mode cannot carry LISTEN (the server
     * connection, and its notifications, go back to the pool after each transaction): behind one,
     * {@code otp.hot-path.announcements-url} names PostgreSQL itself (or a session-mode pooler),
     * and {@code spring.r2dbc.url} the pooler (deploy/test-pgbouncer.sh).
     */
    static ConnectionFactory plainConnections(String url, String username, String password, String applicationName) {
        String plain = url.replaceFirst("^r2dbc(s?):pool:", "r2dbc$1:");
        ConnectionFactoryOptions parsed = ConnectionFactoryOptions.parse(plain);
        ConnectionFactoryOptions.Builder options = parsed.mutate()
                .option(Option.valueOf("applicationName"), applicationName);
        if (!parsed.hasOption(ConnectionFactoryOptions.CONNECT_TIMEOUT)) {
            // an unreachable server must fail the attempt (and so retry), not hang the listener
            options.option(ConnectionFactoryOptions.CONNECT_TIMEOUT, Duration.ofSeconds(10));
        }
        if (username != null) {
            options.option(ConnectionFactoryOptions.USER, username);
        }
        if (password != null) {
            options.option(ConnectionFactoryOptions.PASSWORD, password);
        }
        return ConnectionFactories.get(options.build());
    }
}
