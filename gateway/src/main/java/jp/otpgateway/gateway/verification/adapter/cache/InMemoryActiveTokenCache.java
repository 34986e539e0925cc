package jp.otpgateway.gateway.verification.adapter.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import jp.otpgateway.gateway.verification.application.port.ActiveTokenCache;
import jp.otpgateway.gateway.verification.domain.TokenRecord;

/**
 * The active tokens of recently verifying users, bounded in size and age (Caffeine). It keeps
 * entries only while {@link #listening(boolean) listening}: while the instance cannot hear the
 * database's change announcements it answers nothing and keeps nothing, and every (re)start of
 * listening begins empty. Seeds stay sealed in memory as they are in the database.
 *
 * <p>Every invalidation moves a generation on; a read's result is kept only when the generation
 * is still its ticket's, checked before and after the entry is stored.
 */
public final class InMemoryActiveTokenCache implements ActiveTokenCache {

    /*
     * The record's own hash (31 × tenant + login) collides in bulk for the IDs banks use: the same
     * numbered logins in tenants with numbered IDs (lt-001/u0000010 and lt-002/u0000000) landed in
     * one bucket and turned lookups into tree searches (measured: about 40 % of the cache's time).
     */
    record Key(String tenantId, String loginId) {
        @Override
        public int hashCode() {
            return tenantId.hashCode() * 0x9E3779B9 + loginId.hashCode();
        }
    }

    private final Cache<Key, TokenRecord> entries;
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean listening;
    private volatile Consumer<Boolean> onChange = on -> {
    };

    public InMemoryActiveTokenCache(long maximumSize, Duration timeToLive, MeterRegistry meters) {
        if (maximumSize < 1 || timeToLive.isNegative() || timeToLive.isZero()) {
            throw new IllegalArgumentException("the active-token cache needs a size >= 1 and a positive time to live");
        }
        this.entries = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(timeToLive).recordStats()
                .build();
        CaffeineCacheMetrics.monitor(meters, entries, "otp.active-tokens");
        Gauge.builder("otp.active-tokens.listening", this, c -> c.listening ? 1 : 0)
                .description("1 while the instance hears the database's change announcements and caches")
                .register(meters);
    }

    @Override
    public Optional<TokenRecord> get(String tenantId, String loginId) {
        return listening ? Optional.ofNullable(entries.getIfPresent(new Key(tenantId, loginId))) : Optional.empty();
    }

    @Override
    public long ticket() {
        return generation.get();
    }

    @Override
    public void put(String tenantId, String loginId, TokenRecord token, long ticket) {
        if (!listening || generation.get() != ticket) {
            return;
        }
        Key key = new Key(tenantId, loginId);
        entries.put(key, token);
        if (!listening || generation.get() != ticket) {
            entries.asMap().remove(key, token); // an invalidation came in while it was stored
        }
    }

    /** Forgets one entry the hot path found wanting; the change behind it is announced by itself. */
    @Override
    public void evict(String tenantId, String loginId) {
        entries.invalidate(new Key(tenantId, loginId));
    }

    @Override
    public void replace(String tenantId, String loginId, TokenRecord kept, TokenRecord updated) {
        entries.asMap().replace(new Key(tenantId, loginId), kept, updated);
    }

    /** A change of the user's active token was announced. */
    public void invalidate(String tenantId, String loginId) {
        generation.incrementAndGet();
        entries.invalidate(new Key(tenantId, loginId));
    }

    /** A change of unknown extent (a table emptied): forget everything. */
    public void invalidateAll() {
        generation.incrementAndGet();
        entries.invalidateAll();
    }

    /** Whether announcements are heard from now on; either way, what was kept is forgotten. */
    public void listening(boolean on) {
        boolean was = listening;
        if (!on) {
            listening = false;
        }
        invalidateAll();
        if (on) {
            listening = true;
        }
        if (was != on) {
            onChange.accept(on);
        }
    }

    /** Told each time listening starts (the cache is empty then) or stops (the preload's trigger). */
    public void whenListeningChanges(Consumer<Boolean> hook) {
        this.onChange = hook;
    }

    public boolean isListening() {
        return listening;
    }

    /** Entries kept, approximately (pending evictions may still count). */
    long size() {
        return entries.estimatedSize();
    }

    /** Runs pending evictions now (tests; it may wait for the cache's maintenance lock). */
    void cleanUp() {
        entries.cleanUp();
    }
}
