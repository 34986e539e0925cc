package jp.otpgateway.gateway.verification.adapter.cache;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import jp.otpgateway.gateway.verification.application.PreloadingActiveTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;

/**
 * When the active-token cache is preloaded ({@code otp.hot-path.preload}; otherwise this lifecycle is
 * not started): each time the instance
 * starts hearing the database's change announcements (at start, and after every outage of them,
 * when the cache begins empty), and again every nine tenths of the entries' time to live, so that
 * they are renewed before they expire. A new run replaces one still running; one stops when
 * listening stops.
 */
public final class ActiveTokenPreloader implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ActiveTokenPreloader.class);

    private final PreloadingActiveTokens preloading;
    private final InMemoryActiveTokenCache cache;
    private final Duration refresh;
    private final boolean enabled;
    private final MeterRegistry meters;
    private final AtomicReference<Disposable> running = new AtomicReference<>(Disposables.disposed());
    private volatile Disposable refreshing;

    public ActiveTokenPreloader(PreloadingActiveTokens preloading, InMemoryActiveTokenCache cache, Duration ttl,
                                boolean enabled, MeterRegistry meters) {
        this.preloading = preloading;
        this.cache = cache;
        this.refresh = ttl.multipliedBy(9).dividedBy(10);
        this.enabled = enabled;
        this.meters = meters;
    }

    @Override
    public boolean isAutoStartup() {
        return enabled;
    }

    @Override
    public void start() {
        cache.whenListeningChanges(on -> {
            if (on) {
                run();
            } else {
                running.get().dispose();
            }
        });
        if (cache.isListening()) {
            run();
        }
        refreshing = Flux.interval(refresh, refresh).filter(tick -> cache.isListening()).subscribe(tick -> run());
    }

    private void run() {
        Disposable next = preloading.preload().subscribe(
                done -> meters.counter("otp.active-tokens.preloaded").increment(done.tokens()),
                error -> log.warn("active-token preload failed ({}): the users' first requests read their tokens",
                        error.toString()));
        running.getAndSet(next).dispose();
    }

    @Override
    public void stop() {
        cache.whenListeningChanges(on -> {
        });
        if (refreshing != null) {
            refreshing.dispose();
        }
        running.get().dispose();
    }

    @Override
    public boolean isRunning() {
        return refreshing != null && !refreshing.isDisposed();
    }
}
