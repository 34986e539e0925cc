package jp.otpgateway.gateway.verification.adapter.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import reactor.core.publisher.Mono;

/**
 * The guard's own Lettuce connection, opened without blocking: Spring Data's shared connection is
 * opened synchronously on first use, which would park a Netty thread (BlockHound caught it). Once
 * open, Lettuce reconnects it by itself; a failed first connect is retried on the next call.
 */
public class GuardConnection implements DisposableBean {

    private final ClientResources resources;
    private final RedisClient client;
    private final Mono<StatefulRedisConnection<String, String>> connection;

    public GuardConnection(DataRedisProperties properties) {
        RedisURI.Builder uri = RedisURI.builder()
                .withHost(properties.getHost())
                .withPort(properties.getPort())
                .withDatabase(properties.getDatabase())
                .withSsl(properties.getSsl().isEnabled())
                .withTimeout(properties.getTimeout() != null ? properties.getTimeout() : Duration.ofSeconds(1));
        if (properties.getPassword() != null) {
            if (properties.getUsername() != null) {
                uri.withAuthentication(properties.getUsername(), properties.getPassword());
            } else {
                uri.withPassword(properties.getPassword().toCharArray());
            }
        }
        // Fail fast while disconnected (503 at once, nothing queued to run later) and reconnect
        // quickly once Redis is back.
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri.build());
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .autoReconnect(true)
                .build());
        this.connection = Mono.fromCompletionStage(() -> client.connectAsync(StringCodec.UTF8, uri.build()))
                .cache(open -> Duration.ofMillis(Long.MAX_VALUE), failed -> Duration.ZERO, () -> Duration.ZERO);
    }

    public Mono<StatefulRedisConnection<String, String>> get() {
        return connection;
    }

    @Override
    public void destroy() {
        client.shutdown();
        resources.shutdown();
    }
}
