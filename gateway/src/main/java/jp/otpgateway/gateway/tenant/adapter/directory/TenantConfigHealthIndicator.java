package jp.otpgateway.gateway.tenant.adapter.directory;

import jp.otpgateway.gateway.tenant.application.TenantRegistry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.otpgateway.tenant.load.ConfigProblem;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import reactor.core.publisher.Mono;

/**
 * {@code tenantConfig} in /actuator/health: the tenants in force and every refused file with its
 * problems. A refused file is DEGRADED, not DOWN: the previous version still serves, and taking the
 * instance out of a load balancer for an administrator's typo would hurt every tenant.
 */
public class TenantConfigHealthIndicator implements ReactiveHealthIndicator {

    public static final Status DEGRADED = new Status("DEGRADED", "a tenant file was refused; previous version in force");

    private final TenantRegistry registry;

    public TenantConfigHealthIndicator(TenantRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Mono<Health> health() {
        return Mono.fromSupplier(() -> {
            TenantRegistry.Snapshot snapshot = registry.snapshot();
            Map<String, List<String>> refused = new LinkedHashMap<>();
            snapshot.refused().forEach((file, problems) ->
                    refused.put(file.getFileName().toString(), problems.stream().map(ConfigProblem::toString).toList()));
            Health.Builder builder = refused.isEmpty() ? Health.up() : Health.status(DEGRADED);
            if (snapshot.tenants().isEmpty()) {
                builder = Health.down();
            }
            return builder.withDetail("tenants", snapshot.tenants().keySet().stream().sorted().toList())
                    .withDetail("refused", refused)
                    .build();
        });
    }
}
