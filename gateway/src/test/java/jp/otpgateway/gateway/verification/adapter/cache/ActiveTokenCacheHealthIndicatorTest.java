package jp.otpgateway.gateway.verification.adapter.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class ActiveTokenCacheHealthIndicatorTest {

    private final InMemoryActiveTokenCache cache =
            new InMemoryActiveTokenCache(10, Duration.ofMinutes(1), new SimpleMeterRegistry());
    private final ActiveTokenCacheHealthIndicator health = new ActiveTokenCacheHealthIndicator(cache,
            new PostgresTokenChanges(null, "otp-gateway-announcements-test", cache, Duration.ofSeconds(5)));

    @Test
    void degradedWhileNotHearingTheAnnouncementsUpWhileHearingThem() {
        Health notListening = health.health().block();
        assertThat(notListening.getStatus().getCode()).isEqualTo("DEGRADED");
        assertThat(notListening.getDetails()).containsEntry("listening", false)
                .containsEntry("connection", "otp-gateway-announcements-test");
        cache.listening(true);
        assertThat(health.health().block().getStatus()).isEqualTo(Status.UP);
    }
}
