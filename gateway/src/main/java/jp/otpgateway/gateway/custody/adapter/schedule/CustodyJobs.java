package jp.otpgateway.gateway.custody.adapter.schedule;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.otpgateway.gateway.config.OtpProperties;
import jp.otpgateway.gateway.custody.application.RefreshingDataKeys;
import jp.otpgateway.gateway.custody.application.ResealingSeeds;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreFailures;
import jp.otpgateway.gateway.tenant.application.TenantRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Key custody's jobs on every instance (docs/custody.md). Before the web server takes a request,
 * the data keys are read into memory (and a tenant without one gets its first): a key that does not
 * unwrap stops the start, saying why; PostgreSQL down does not (the gateway fails closed until it
 * answers, as with every store). Then the keys are read again every {@code
 * otp.crypto.data-keys.refresh} and at once when a tenant file is added, and a due re-seal job is
 * taken and run (one instance at a time per tenant: the job's lease).
 */
@Component
public class CustodyJobs implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CustodyJobs.class);
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final RefreshingDataKeys refreshing;
    private final ResealingSeeds resealing;
    private final TenantRegistry tenants;
    private final OtpProperties.DataKeys settings;
    private final String owner;
    private volatile Disposable running;
    private final AtomicBoolean reading = new AtomicBoolean();

    public CustodyJobs(RefreshingDataKeys refreshing, ResealingSeeds resealing, TenantRegistry tenants,
                       OtpProperties properties) {
        this.refreshing = refreshing;
        this.resealing = resealing;
        this.tenants = tenants;
        this.settings = properties.crypto().dataKeys();
        this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public void start() {
        try {
            refreshing.refresh().block(START_TIMEOUT);
            reading.set(true);
        } catch (RuntimeException e) {
            if (!StoreFailures.isUnavailable(e)) {
                throw new IllegalStateException("the tenants' data keys cannot be read and opened: " + e.getMessage(), e);
            }
            // Like every store call: the gateway starts and fails closed (503) until PostgreSQL answers.
            log.warn("data keys not read (PostgreSQL unavailable: {}): nothing is sealed or opened until they are", e.toString());
        }
        Disposable refresh = Flux.merge(Flux.interval(settings.refresh(), settings.refresh()),
                        tenants.changes().filter(change -> !change.added().isEmpty()))
                .onBackpressureDrop()
                .concatMap(tick -> refreshing.refresh()
                        .doOnSuccess(done -> {
                            if (reading.compareAndSet(false, true)) {
                                log.info("data keys read again");
                            }
                        })
                        .onErrorResume(e -> {
                            if (reading.compareAndSet(true, false)) {
                                log.warn("data keys not read ({}); tried again every {}; nothing is sealed once they are "
                                        + "older than half of otp.crypto.data-keys.propagation", e.toString(), settings.refresh());
                            }
                            return Mono.empty();
                        }), 1)
                .subscribe();
        Disposable reseal = Flux.interval(settings.refresh(), settings.refresh())
                .onBackpressureDrop()
                .concatMap(tick -> resealing.work(owner, settings.resealBatch(), Long.MAX_VALUE).onErrorResume(e -> {
                    log.warn("re-seal interrupted (it goes on from its last batch): {}", e.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
        running = Disposables.composite(refresh, reseal);
    }

    @Override
    public void stop() {
        Disposable r = running;
        if (r != null) {
            r.dispose();
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }

    /** Before the web server starts (and after it stops). */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 100;
    }
}
