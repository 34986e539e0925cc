package jp.otpgateway.gateway.tenant.adapter.directory;

import jp.otpgateway.gateway.tenant.application.TenantRegistry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import reactor.test.StepVerifier;

/** The running gateway follows its tenant directory: real files, the real watcher thread. */
class TenantReloadTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String HASH = "b".repeat(64);

    @TempDir
    Path dir;

    TenantRegistry registry;
    TenantDirectoryWatcher watcher;

    static String tenant(String id, long limit) {
        return """
                id: %s
                name: 再読込信用組合
                withoutOtp: {dailyTransferLimit: %d}
                notifications: {from: otp@example.jp}
                clients: [{name: portal, role: portal, keySha256: "%s"}]
                """.formatted(id, limit, HASH);
    }

    /** Writes as a careful administrator (or a ConfigMap update) does: a temporary file moved into place. */
    void write(String file, String text) throws Exception {
        Path tmp = Files.writeString(dir.resolve("." + file + ".tmp"), text);
        Files.move(tmp, dir.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Runs {@code action} and waits for the change it causes. */
    TenantRegistry.Change changeAfter(ThrowingRunnable action) {
        TenantRegistry.Change[] seen = new TenantRegistry.Change[1];
        StepVerifier.create(registry.changes().next())
                .then(() -> {
                    try {
                        action.run();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .consumeNextWith(c -> seen[0] = c)
                .expectComplete()
                .verify(WAIT);
        return seen[0];
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    long limitOf(String id) {
        return registry.tenant(id).orElseThrow().withoutOtp().dailyTransferLimit();
    }

    @BeforeEach
    void start() throws Exception {
        write("t-one.yaml", tenant("t-one", 200_000));
        registry = new TenantRegistry();
        watcher = new TenantDirectoryWatcher(dir, Duration.ofMinutes(10), registry);
        watcher.start();
    }

    @AfterEach
    void stop() {
        watcher.stop();
    }

    @Test
    void tenantsAreLoadedAtStart() {
        assertThat(registry.snapshot().tenants()).containsOnlyKeys("t-one");
        assertThat(registry.snapshot().clientsByKeyHash().get(HASH)).containsOnlyKeys("t-one");
    }

    /**
     * A Kubernetes ConfigMap mounted as a volume, as the kubelet lays it out and updates it: each key
     * a symlink through {@code ..data} to a timestamped directory; an update writes a new directory,
     * points {@code ..data_tmp} at it and renames that over {@code ..data} (one atomic swap), then
     * deletes the old directory. No tenant file itself is written.
     */
    @Test
    void aConfigMapsSymlinkSwapIsFollowed() throws Exception {
        Path first = Files.createDirectory(dir.resolve("..2026_12_06_08_00_00.000000001"));
        Files.writeString(first.resolve("t-cm.yaml"), tenant("t-cm", 200_000));
        TenantRegistry.Change added = changeAfter(() -> {
            Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
            Files.createSymbolicLink(dir.resolve("t-cm.yaml"), Path.of("..data", "t-cm.yaml"));
        });
        assertThat(added.added()).containsExactly("t-cm");
        assertThat(limitOf("t-cm")).isEqualTo(200_000);

        Path second = Files.createDirectory(dir.resolve("..2026_12_06_08_05_00.000000002"));
        Files.writeString(second.resolve("t-cm.yaml"), tenant("t-cm", 50_000));
        TenantRegistry.Change swapped = changeAfter(() -> {
            Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
            Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(first.resolve("t-cm.yaml"));
            Files.delete(first);
        });
        assertThat(swapped.replaced()).containsExactly("t-cm");
        assertThat(limitOf("t-cm")).isEqualTo(50_000);
        assertThat(registry.snapshot().tenants()).containsOnlyKeys("t-one", "t-cm"); // no "..data" tenant
    }

    @Test
    void validChangeReplacesTheTenant() {
        TenantRegistry.Change change = changeAfter(() -> write("t-one.yaml", tenant("t-one", 100_000)));
        assertThat(change.replaced()).containsExactly("t-one");
        assertThat(limitOf("t-one")).isEqualTo(100_000);
    }

    @Test
    void inPlaceEditIsPickedUpToo() {
        changeAfter(() -> Files.writeString(dir.resolve("t-one.yaml"), tenant("t-one", 50_000)));
        assertThat(limitOf("t-one")).isEqualTo(50_000);
    }

    @Test
    void invalidChangeIsRefusedAndThePreviousVersionStaysInForce() {
        TenantRegistry.Change change = changeAfter(() -> write("t-one.yaml",
                tenant("t-one", 100_000).replace("withoutOtp:", "withoutOtp: {dailyTransferLimit: -1}\nwithoutOtpx:")));
        assertThat(change.refused()).isNotEmpty();
        assertThat(limitOf("t-one")).isEqualTo(200_000);

        Health health = new TenantConfigHealthIndicator(registry).health().block(WAIT);
        assertThat(health.getStatus()).isEqualTo(TenantConfigHealthIndicator.DEGRADED);
        @SuppressWarnings("unchecked")
        Map<String, java.util.List<String>> refused = (Map<String, java.util.List<String>>) health.getDetails().get("refused");
        assertThat(refused.get("t-one.yaml")).anySatisfy(p -> assertThat(p).contains(":3: withoutOtp.dailyTransferLimit:"))
                .anySatisfy(p -> assertThat(p).contains(":4: withoutOtpx: unknown key"));

        changeAfter(() -> write("t-one.yaml", tenant("t-one", 120_000)));
        assertThat(limitOf("t-one")).isEqualTo(120_000);
        assertThat(new TenantConfigHealthIndicator(registry).health().block(WAIT).getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void invalidNewFileAddsNoTenant() {
        TenantRegistry.Change change = changeAfter(() -> write("t-two.yaml", "id: t-two\n"));
        assertThat(change.refused()).isNotEmpty();
        assertThat(registry.tenant("t-two")).isEmpty();
        assertThat(registry.tenant("t-one")).isPresent();
    }

    @Test
    void newFileAddsATenant() {
        TenantRegistry.Change change = changeAfter(() -> write("t-two.yaml", tenant("t-two", 300_000)));
        assertThat(change.added()).containsExactly("t-two");
        assertThat(registry.snapshot().clientsByKeyHash().get(HASH)).containsOnlyKeys("t-one", "t-two");
    }

    @Test
    void removedFileRemovesTheTenantAndItsKeys() {
        TenantRegistry.Change change = changeAfter(() -> Files.delete(dir.resolve("t-one.yaml")));
        assertThat(change.removed()).containsExactly("t-one");
        assertThat(registry.tenant("t-one")).isEmpty();
        assertThat(registry.snapshot().clientsByKeyHash()).isEmpty();
        assertThat(new TenantConfigHealthIndicator(registry).health().block(WAIT).getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void missingDirectoryStopsTheStartWithAClearMessage() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        new TenantDirectoryWatcher(dir.resolve("absent"), Duration.ofMinutes(1), new TenantRegistry()))
                .hasMessageContaining("does not exist; set otp.tenants.dir (env OTP_TENANTS_DIR)");
    }
}
