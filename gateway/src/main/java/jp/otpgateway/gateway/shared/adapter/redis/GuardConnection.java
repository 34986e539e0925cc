package jp.otpgateway.gateway.shared.adapter.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import reactor.core.publisher.Mono;

/**
 * The guard's own Lettuce connection, opened without blocking: Spring Data's shared connection is
 * opened synchronously on first use, which would park a Netty thread (BlockHound caught it). Once
 * open, Lettuce reconnects it by itself; a failed first connect is retried on the next call.
 *
 * <p>Chosen by the same settings as Spring's (docs/architecture.md, "Redis high availability"):
 * {@code spring.data.redis.cluster.nodes} — a Redis Cluster (every key the guard's scripts touch
 * carries one hash tag, so each script runs on one node; topology refreshed on MOVED and every 30 s);
 * else {@code spring.data.redis.sentinel.master} and {@code .nodes} — the master the Sentinels name,
 * found again after a failover; else one server at {@code host}:{@code port}.
 */
public class GuardConnection implements DisposableBean {

    /** How the guard reaches Redis. */
    public enum Mode { STANDALONE, SENTINEL, CLUSTER }

    private final ClientResources resources;
    private final Mode mode;
    private final Runnable shutdown;
    private final Mono<RedisClusterReactiveCommands<String, String>> commands;

    public GuardConnection(DataRedisProperties properties) {
        Duration timeout = properties.getTimeout() != null ? properties.getTimeout() : Duration.ofSeconds(1);
        // Fail fast while disconnected (503 at once, nothing queued to run later) and reconnect
        // quickly once Redis is back.
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        DataRedisProperties.Cluster cluster = properties.getCluster();
        DataRedisProperties.Sentinel sentinel = properties.getSentinel();
        if (cluster != null && cluster.getNodes() != null && !cluster.getNodes().isEmpty()) {
            this.mode = Mode.CLUSTER;
            List<RedisURI> seeds = cluster.getNodes().stream().map(node -> secured(properties,
                    RedisURI.builder().withHost(host(node)).withPort(port(node)).withSsl(properties.getSsl().isEnabled())
                            .withTimeout(timeout)).build()).toList();
            RedisClusterClient client = RedisClusterClient.create(resources, seeds);
            client.setOptions(ClusterClientOptions.builder()
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .autoReconnect(true)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enableAllAdaptiveRefreshTriggers()
                            .enablePeriodicRefresh(Duration.ofSeconds(30))
                            .build())
                    .build());
            this.shutdown = client::shutdown;
            // The topology first (without blocking): connectAsync needs the partitions loaded.
            this.commands = Mono.fromCompletionStage(client::refreshPartitionsAsync)
                    .then(Mono.fromCompletionStage(() -> client.connectAsync(StringCodec.UTF8)))
                    .<RedisClusterReactiveCommands<String, String>>map(c -> c.reactive())
                    .cache(open -> Duration.ofMillis(Long.MAX_VALUE), failed -> Duration.ZERO, () -> Duration.ZERO);
            return;
        }
        RedisURI.Builder uri;
        if (sentinel != null && sentinel.getMaster() != null && sentinel.getNodes() != null && !sentinel.getNodes().isEmpty()) {
            this.mode = Mode.SENTINEL;
            uri = RedisURI.builder();
            for (String node : sentinel.getNodes()) {
                uri.withSentinel(host(node), port(node));
            }
            uri.withSentinelMasterId(sentinel.getMaster());
        } else {
            this.mode = Mode.STANDALONE;
            uri = RedisURI.builder().withHost(properties.getHost()).withPort(properties.getPort());
        }
        uri.withDatabase(properties.getDatabase()).withSsl(properties.getSsl().isEnabled()).withTimeout(timeout);
        RedisURI target = secured(properties, uri).build();
        RedisClient client = RedisClient.create(resources, target);
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true)
                .build());
        this.shutdown = client::shutdown;
        this.commands = Mono.fromCompletionStage(() -> client.connectAsync(StringCodec.UTF8, target))
                .<RedisClusterReactiveCommands<String, String>>map(c -> c.reactive())
                .cache(open -> Duration.ofMillis(Long.MAX_VALUE), failed -> Duration.ZERO, () -> Duration.ZERO);
    }

    private static RedisURI.Builder secured(DataRedisProperties properties, RedisURI.Builder uri) {
        if (properties.getPassword() != null) {
            if (properties.getUsername() != null) {
                uri.withAuthentication(properties.getUsername(), properties.getPassword());
            } else {
                uri.withPassword(properties.getPassword().toCharArray());
            }
        }
        return uri;
    }

    private static String host(String node) {
        return node.substring(0, node.lastIndexOf(':'));
    }

    private static int port(String node) {
        return Integer.parseInt(node.substring(node.lastIndexOf(':') + 1));
    }

    /** The commands of the connection, opened on first use (a cluster's route each key to its node). */
    public Mono<RedisClusterReactiveCommands<String, String>> get() {
        return commands;
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public void destroy() {
        shutdown.run();
        resources.shutdown();
    }
}
