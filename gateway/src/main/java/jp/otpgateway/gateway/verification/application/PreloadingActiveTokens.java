package jp.otpgateway.gateway.verification.application;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import jp.otpgateway.gateway.verification.application.port.ActiveTokenCache;
import jp.otpgateway.gateway.verification.application.port.ActiveTokens;
import jp.otpgateway.gateway.verification.application.port.ActiveTokens.Held;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Fills the active-token cache with every tenant's active tokens before the users ask, so that the
 * first login of the day is answered from memory like any later one (docs/architecture.md, hot path
 * step 2; issue #16). The triggers are the adapter's: every start of listening (the cache begins
 * empty then) and a refresh before the entries' time to live runs out.
 *
 * <p>Each page is read under a {@link ActiveTokenCache#ticket() ticket}, as a single miss is: when
 * an invalidation came in while the page was read or stored, what was stored of it may be dropped,
 * so the page is read again (at most {@value #ATTEMPTS} times; then the preload stops and the
 * users it did not reach are read on their first request, as without it). It stops too when the
 * cache holds {@code capacity} entries of its own loading: it never pushes out what it loaded.
 */
public final class PreloadingActiveTokens {

    private static final Logger log = LoggerFactory.getLogger(PreloadingActiveTokens.class);

    static final int ATTEMPTS = 3;

    /** What one preload did: tokens stored, and whether it went through every tenant. */
    public record Preloaded(long tokens, boolean complete, Duration took) {
    }

    private final ActiveTokens tokens;
    private final ActiveTokenCache cache;
    private final Supplier<List<String>> tenantIds;
    private final long capacity;
    private final int pageSize;
    private final Clock clock;

    public PreloadingActiveTokens(ActiveTokens tokens, ActiveTokenCache cache, Supplier<List<String>> tenantIds,
                                  long capacity, int pageSize, Clock clock) {
        if (capacity < 1 || pageSize < 1) {
            throw new IllegalArgumentException("a preload needs a capacity and a page size >= 1");
        }
        this.tokens = tokens;
        this.cache = cache;
        this.tenantIds = tenantIds;
        this.capacity = capacity;
        this.pageSize = pageSize;
        this.clock = clock;
    }

    public Mono<Preloaded> preload() {
        return Mono.defer(() -> {
            Instant start = clock.instant();
            AtomicLong stored = new AtomicLong();
            return Flux.fromIterable(tenantIds.get().stream().sorted().toList())
                    .concatMap(tenant -> tenant(tenant, stored))
                    .all(complete -> complete)
                    .map(complete -> new Preloaded(stored.get(), complete, Duration.between(start, clock.instant())))
                    .doOnNext(done -> log.info("active tokens preloaded: {} in {} ms{}", done.tokens(),
                            done.took().toMillis(), done.complete() ? "" : " (stopped early: cache full, or"
                                    + " changes kept coming in while a page was read)"));
        });
    }

    /** One tenant, page after page; true when it was loaded to its end. */
    private Mono<Boolean> tenant(String tenant, AtomicLong stored) {
        return page(tenant, "", stored, 1)
                .expand(next -> next.after().isPresent() ? page(tenant, next.after().get(), stored, 1) : Mono.empty())
                .last()
                .map(Next::complete);
    }

    /** {@code after}: where the next page starts (empty after the tenant's last); complete: not cut short. */
    private record Next(Optional<String> after, boolean complete) {
    }

    private Mono<Next> page(String tenant, String after, AtomicLong stored, int attempt) {
        long room = capacity - stored.get();
        if (room <= 0) { // full: complete only if this tenant has no user left
            return tokens.activeTokensAfter(tenant, after, 1).hasElements()
                    .map(more -> new Next(Optional.empty(), !more));
        }
        int limit = (int) Math.min(pageSize, room);
        long ticket = cache.ticket();
        return tokens.activeTokensAfter(tenant, after, limit).collectList().flatMap(page -> {
            page.forEach(held -> cache.put(tenant, held.loginId(), held.token(), ticket));
            if (cache.ticket() != ticket) {
                return attempt < ATTEMPTS ? page(tenant, after, stored, attempt + 1)
                        : Mono.just(new Next(Optional.empty(), false));
            }
            stored.addAndGet(page.size());
            boolean more = page.size() == limit;
            Optional<String> next = more ? Optional.of(page.get(page.size() - 1).loginId()) : Optional.empty();
            return Mono.just(new Next(next, true));
        });
    }
}
