package jp.otpgateway.gateway.verification.adapter.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import jp.otpgateway.gateway.verification.domain.TokenState;
import jp.otpgateway.gateway.verification.domain.Drift;
import jp.otpgateway.gateway.verification.domain.TokenRecord;
import jp.otpgateway.tenant.model.HashAlgorithm;
import jp.otpgateway.tenant.model.TokenKind;
import org.junit.jupiter.api.Test;

class InMemoryActiveTokenCacheTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final InMemoryActiveTokenCache cache = new InMemoryActiveTokenCache(100, Duration.ofMinutes(10), meters);

    private static TokenRecord token(String serial) {
        return new TokenRecord(serial, TokenKind.HARDWARE, new byte[] {1, 2, 3}, HashAlgorithm.SHA1, 8, 60,
                Instant.parse("2030-01-01T00:00:00Z"), new TokenState(false, 0, -1, 0), Drift.NONE);
    }

    @Test
    void keepsNothingUntilListening() {
        cache.put("t1", "alice", token("10000001"), cache.ticket());
        assertThat(cache.get("t1", "alice")).isEmpty();
        cache.listening(true);
        cache.put("t1", "alice", token("10000001"), cache.ticket());
        assertThat(cache.get("t1", "alice")).map(TokenRecord::serial).contains("10000001");
    }

    @Test
    void aReadThatAnInvalidationOvertookIsNotKept() {
        cache.listening(true);
        long ticket = cache.ticket();
        cache.invalidate("t1", "bob"); // any user: the read cannot tell whether its snapshot saw the change
        cache.put("t1", "alice", token("10000001"), ticket);
        assertThat(cache.get("t1", "alice")).isEmpty();
        cache.put("t1", "alice", token("10000001"), cache.ticket());
        assertThat(cache.get("t1", "alice")).isPresent();
    }

    @Test
    void aLearnedDriftReplacesOnlyTheVeryEntryItWasLearnedFrom() {
        cache.listening(true);
        TokenRecord kept = token("10000001");
        cache.put("t1", "alice", kept, cache.ticket());
        cache.replace("t1", "alice", kept, kept.with(new Drift(0, 1)));
        assertThat(cache.get("t1", "alice")).map(TokenRecord::drift).contains(new Drift(0, 1));
        // an entry stored since, or none (an announcement came in): the learned copy is not put back
        cache.replace("t1", "alice", kept, kept.with(new Drift(0, 2)));
        assertThat(cache.get("t1", "alice")).map(TokenRecord::drift).contains(new Drift(0, 1));
        cache.invalidate("t1", "alice");
        cache.replace("t1", "alice", kept, kept.with(new Drift(0, 2)));
        assertThat(cache.get("t1", "alice")).isEmpty();
    }

    @Test
    void anAnnouncementForgetsTheUserOnlyAndEverythingOnAStar() {
        cache.listening(true);
        cache.put("t1", "alice", token("10000001"), cache.ticket());
        cache.put("t1", "bob", token("10000002"), cache.ticket());
        cache.put("t2", "alice", token("10000003"), cache.ticket());
        cache.invalidate("t1", "alice");
        assertThat(cache.get("t1", "alice")).isEmpty();
        assertThat(cache.get("t1", "bob")).isPresent();
        assertThat(cache.get("t2", "alice")).isPresent();
        cache.invalidateAll();
        cache.cleanUp();
        assertThat(cache.size()).isZero();
    }

    @Test
    void losingTheAnnouncementsEmptiesTheCacheAndListeningAgainStartsEmpty() {
        cache.listening(true);
        long before = cache.ticket();
        cache.put("t1", "alice", token("10000001"), before);
        cache.listening(false);
        assertThat(cache.get("t1", "alice")).isEmpty();
        cache.put("t1", "alice", token("10000001"), cache.ticket());
        cache.listening(true);
        cache.cleanUp();
        assertThat(cache.size()).isZero();
        cache.put("t1", "alice", token("10000001"), before); // a read from before the gap
        assertThat(cache.get("t1", "alice")).isEmpty();
        assertThat(meters.get("otp.active-tokens.listening").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void anEvictionLeavesReadsInFlightAlone() {
        cache.listening(true);
        long ticket = cache.ticket();
        cache.put("t1", "alice", token("10000001"), ticket);
        cache.evict("t1", "alice");
        assertThat(cache.get("t1", "alice")).isEmpty();
        cache.put("t1", "bob", token("10000002"), ticket);
        assertThat(cache.get("t1", "bob")).isPresent();
    }

    @Test
    void keepsAtMostItsSize() {
        InMemoryActiveTokenCache small = new InMemoryActiveTokenCache(10, Duration.ofMinutes(10), new SimpleMeterRegistry());
        small.listening(true);
        for (int i = 0; i < 100; i++) {
            small.put("t1", "user" + i, token("1000" + (1000 + i)), small.ticket());
        }
        small.cleanUp();
        assertThat(small.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void numberedLoginsOfNumberedTenantsDoNotShareHashes() {
        java.util.Set<Integer> hashes = new java.util.HashSet<>();
        int keys = 0;
        for (int t = 1; t <= 50; t++) {
            for (int u = 0; u < 6000; u++, keys++) {
                hashes.add(new InMemoryActiveTokenCache.Key("lt-%03d".formatted(t), "lt-u%08d".formatted(u)).hashCode());
            }
        }
        assertThat(hashes.size()).isGreaterThan(keys * 999 / 1000);
    }

    @Test
    void refusesANonsensicalSize() {
        assertThatThrownBy(() -> new InMemoryActiveTokenCache(0, Duration.ofMinutes(1), meters))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
