package jp.otpgateway.gateway.tenant.application;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.otpgateway.tenant.load.ConfigProblem;
import jp.otpgateway.tenant.load.LoadResult;
import jp.otpgateway.tenant.load.TenantConfigLoader;
import jp.otpgateway.tenant.load.TenantDirectory;
import jp.otpgateway.tenant.model.ApiClient;
import jp.otpgateway.tenant.model.TenantConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The tenant configurations in force. A request reads one immutable {@link Snapshot}; a reload
 * builds the next one and swaps it in a single volatile write, so no request ever sees half of a
 * change. A file that does not validate keeps its tenant's previous version in force.
 */
public class TenantRegistry {

    private static final Logger log = LoggerFactory.getLogger(TenantRegistry.class);

    /** Tenants in force, API keys by SHA-256, and the files refused at the last scan. */
    public record Snapshot(
            Map<String, TenantConfig> tenants,
            Map<String, Map<String, ApiClient>> clientsByKeyHash,
            Map<Path, List<ConfigProblem>> refused) {

        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), Map.of());

        static Snapshot of(Map<String, TenantConfig> tenants, Map<Path, List<ConfigProblem>> refused) {
            Map<String, Map<String, ApiClient>> byHash = new LinkedHashMap<>();
            tenants.values().forEach(t -> t.clients().forEach(c ->
                    byHash.computeIfAbsent(c.keySha256(), h -> new LinkedHashMap<>()).put(t.id(), c)));
            byHash.replaceAll((hash, byTenant) -> Map.copyOf(byTenant));
            return new Snapshot(Map.copyOf(tenants), Map.copyOf(byHash), Map.copyOf(refused));
        }
    }

    /** What one scan changed; published for logs, health and tests. */
    public record Change(List<String> added, List<String> replaced, List<String> removed, List<ConfigProblem> refused) {

        public boolean isEmpty() {
            return added.isEmpty() && replaced.isEmpty() && removed.isEmpty() && refused.isEmpty();
        }
    }

    private volatile Snapshot current = Snapshot.EMPTY;
    private final Sinks.Many<Change> changes = Sinks.many().multicast().directBestEffort();

    public Snapshot snapshot() {
        return current;
    }

    public Optional<TenantConfig> tenant(String id) {
        return Optional.ofNullable(current.tenants().get(id));
    }

    /** Changes as they are applied (hot: only those after subscription). */
    public Flux<Change> changes() {
        return changes.asFlux();
    }

    /** Applies one scan of the tenant directory. Called by one thread at a time (the watcher). */
    public synchronized Change apply(TenantDirectory.Scan scan) {
        Snapshot previous = current;
        Map<String, TenantConfig> next = new LinkedHashMap<>();
        Map<Path, List<ConfigProblem>> refused = new LinkedHashMap<>();
        for (Map.Entry<Path, LoadResult> entry : scan.results().entrySet()) {
            String id = TenantConfigLoader.expectedId(entry.getKey());
            if (entry.getValue() instanceof LoadResult.Valid valid) {
                next.putIfAbsent(valid.config().id(), valid.config());
            } else if (entry.getValue() instanceof LoadResult.Invalid invalid) {
                refused.put(entry.getKey(), invalid.problems());
                TenantConfig kept = previous.tenants().get(id);
                if (kept != null) {
                    next.putIfAbsent(id, kept);
                }
            }
        }
        List<String> added = next.keySet().stream().filter(id -> !previous.tenants().containsKey(id)).toList();
        List<String> replaced = next.entrySet().stream()
                .filter(e -> previous.tenants().containsKey(e.getKey()))
                .filter(e -> !previous.tenants().get(e.getKey()).equals(e.getValue()))
                .map(Map.Entry::getKey).toList();
        List<String> removed = previous.tenants().keySet().stream().filter(id -> !next.containsKey(id)).toList();
        List<ConfigProblem> newlyRefused = refused.entrySet().stream()
                .filter(e -> !e.getValue().equals(previous.refused().get(e.getKey())))
                .flatMap(e -> e.getValue().stream()).toList();
        current = Snapshot.of(next, refused);
        Change change = new Change(added, replaced, removed, newlyRefused);
        report(change);
        return change;
    }

    private void report(Change change) {
        change.added().forEach(id -> log.info("tenant configuration loaded: {}", id));
        change.replaced().forEach(id -> log.info("tenant configuration replaced: {}", id));
        change.removed().forEach(id -> log.warn("tenant configuration removed: {}", id));
        change.refused().forEach(p -> log.error("tenant configuration refused, previous version stays in force: {}", p));
        if (!change.isEmpty()) {
            changes.tryEmitNext(change);
        }
    }
}
