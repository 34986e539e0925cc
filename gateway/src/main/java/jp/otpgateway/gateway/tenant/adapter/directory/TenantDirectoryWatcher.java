package jp.otpgateway.gateway.tenant.adapter.directory;

import jp.otpgateway.gateway.tenant.application.TenantRegistry;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jp.otpgateway.tenant.load.TenantDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Loads the tenant directory at start and reloads it whenever something in it changes. Runs on its
 * own platform thread (file I/O blocks; it must never run on an event-loop thread). Besides the
 * file-system events it rescans every {@code rescanInterval}, which also catches changes that a
 * WatchService misses (event overflow, Kubernetes ConfigMap symlink swaps on some file systems).
 */
public class TenantDirectoryWatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TenantDirectoryWatcher.class);
    /** Editors write a file in several steps; wait for the burst of events to end. */
    private static final Duration SETTLE = Duration.ofMillis(200);

    private final Path directory;
    private final Duration rescanInterval;
    private final TenantRegistry registry;
    private final TenantDirectory reader = new TenantDirectory();
    private volatile WatchService watchService;
    private volatile Thread thread;

    public TenantDirectoryWatcher(Path directory, Duration rescanInterval, TenantRegistry registry) {
        this.directory = directory.toAbsolutePath().normalize();
        this.rescanInterval = rescanInterval;
        this.registry = registry;
        if (!Files.isDirectory(this.directory)) {
            throw new IllegalStateException("tenant directory " + this.directory
                    + " does not exist; set otp.tenants.dir (env OTP_TENANTS_DIR)");
        }
        rescan();
        log.info("tenant directory {}: {} tenant(s) in force", this.directory, registry.snapshot().tenants().size());
    }

    /** Reads the whole directory and applies it. */
    public final void rescan() {
        try {
            registry.apply(reader.scan(directory));
        } catch (IOException e) {
            log.error("tenant directory {} cannot be read; configuration in force is kept: {}", directory, e.toString());
        }
    }

    @Override
    public void start() {
        try {
            watchService = FileSystems.getDefault().newWatchService();
            directory.register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot watch tenant directory " + directory, e);
        }
        Thread watcher = new Thread(this::watch, "tenant-config-watcher");
        watcher.setDaemon(true);
        thread = watcher;
        watcher.start();
    }

    private void watch() {
        WatchService service = watchService;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                WatchKey key = service.poll(rescanInterval.toMillis(), TimeUnit.MILLISECONDS);
                if (key != null) {
                    drain(service, key);
                }
                rescan();
            }
        } catch (InterruptedException | ClosedWatchServiceException stopped) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("tenant directory watcher stopped unexpectedly", e);
        }
    }

    /** Consumes the events of a burst, until none arrives for {@link #SETTLE}. */
    private static void drain(WatchService service, WatchKey first) throws InterruptedException {
        WatchKey key = first;
        while (key != null) {
            key.pollEvents();
            key.reset();
            key = service.poll(SETTLE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() {
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
        try {
            if (watchService != null) {
                watchService.close();
            }
        } catch (IOException e) {
            log.debug("closing the tenant watch service: {}", e.toString());
        }
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
