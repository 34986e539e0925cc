package jp.otpgateway.gateway.provisioning.adapter.redis;

import jp.otpgateway.gateway.shared.adapter.redis.GuardConnection;

import io.lettuce.core.ScriptOutputType;
import java.time.Clock;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.provisioning.application.port.SetupRateLimit;
import jp.otpgateway.gateway.config.OtpProperties;
import reactor.core.publisher.Mono;

/**
 * A fixed one-minute window per client address in Redis: one script (INCR, and the expiry on the
 * first count) per setup, one round trip, the same count on every instance. The address is the
 * key's hash tag, so in a Redis Cluster each address is one slot.
 */
public class RedisSetupRateLimit implements SetupRateLimit {

    static final String SCRIPT = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return n
            """;

    private final GuardConnection redis;
    private final StoreCalls stores;
    private final Clock clock;
    private final long perMinute;

    public RedisSetupRateLimit(GuardConnection redis, StoreCalls stores, Clock clock, OtpProperties properties) {
        this.redis = redis;
        this.stores = stores;
        this.clock = clock;
        this.perMinute = properties.software().setupsPerMinute();
    }

    @Override
    public Mono<Boolean> tryAcquire(String clientAddress) {
        return Mono.defer(() -> {
            long minute = clock.millis() / 60_000;
            String[] keys = {"otp:setup:{" + clientAddress + "}:" + minute};
            Mono<Long> call = redis.get().flatMap(c -> c
                    .<Long>eval(SCRIPT, ScriptOutputType.INTEGER, keys, "61000").next());
            return stores.redis(call).map(count -> count <= perMinute);
        });
    }
}
