package jp.otpgateway.gateway.verification.adapter.cache;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import reactor.core.publisher.Mono;

/**
 * {@code activeTokenCache} in /actuator/health: DEGRADED while the instance cannot hear the
 * database's change announcements. It still answers every verification correctly, reading
 * PostgreSQL each time, so it stays in its load balancer (not part of readiness).
 */
public class ActiveTokenCacheHealthIndicator implements ReactiveHealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED",
            "not hearing active-token announcements: every verification reads PostgreSQL");

    private final InMemoryActiveTokenCache cache;
    private final PostgresTokenChanges announcements;

    public ActiveTokenCacheHealthIndicator(InMemoryActiveTokenCache cache, PostgresTokenChanges announcements) {
        this.cache = cache;
        this.announcements = announcements;
    }

    @Override
    public Mono<Health> health() {
        return Mono.fromSupplier(() -> (cache.isListening() ? Health.up() : Health.status(DEGRADED))
                .withDetail("listening", cache.isListening())
                .withDetail("connection", announcements.applicationName())
                .withDetail("entries", cache.size())
                .build());
    }
}
