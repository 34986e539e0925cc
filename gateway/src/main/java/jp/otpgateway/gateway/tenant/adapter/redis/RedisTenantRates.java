package jp.otpgateway.gateway.tenant.adapter.redis;

import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import jp.otpgateway.gateway.shared.adapter.redis.GuardConnection;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.tenant.adapter.resilience.SharedRateCounter;
import jp.otpgateway.gateway.tenant.domain.SharedRate;
import org.springframework.stereotype.Component;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Per-tenant rate limits counted in Redis for every instance together ({@link SharedRate}): a
 * counter per tenant and wall-clock second, {@code otp:rate:{tenant}:<second>} (one hash tag: one
 * Cluster slot), kept two seconds. Each instance reserves a chunk of the second's permits with one
 * script call and hands them out from memory; once a reservation comes back empty the instance
 * refuses the rest of that second without asking again. A failed call is the caller's to handle
 * (TenantLimits falls back to the instance's own limiter).
 */
@Component
public class RedisTenantRates implements SharedRateCounter {

    static final String SCRIPT = """
            local n = redis.call('INCRBY', KEYS[1], ARGV[1])
            if n == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], 2000) end
            return n""";

    private static final Mono<Boolean> PERMITTED = Mono.just(true);
    private static final Mono<Boolean> REFUSED = Mono.just(false);

    /** The permits this instance holds for one tenant in one second. */
    private static final class Window {
        final long second;
        final AtomicLong left = new AtomicLong();
        volatile boolean exhausted;

        Window(long second) {
            this.second = second;
        }
    }

    /** How long a request waits for a reservation before its instance decides alone (TenantLimits). */
    static final Duration COUNT_WAIT = Duration.ofMillis(250);

    private final GuardConnection redis;
    private final StoreCalls stores;
    private final LongSupplier wallClockMillis;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    @Autowired
    public RedisTenantRates(GuardConnection redis, StoreCalls stores) {
        this(redis, stores, System::currentTimeMillis);
    }

    /** {@code wallClockMillis}: the clock whose seconds are counted (a test's fixed second). */
    RedisTenantRates(GuardConnection redis, StoreCalls stores, LongSupplier wallClockMillis) {
        this.redis = redis;
        this.stores = stores;
        this.wallClockMillis = wallClockMillis;
    }

    static String key(String tenantId, long second) {
        return "otp:rate:{" + tenantId + "}:" + second;
    }

    /** Whether one more request of the tenant fits in this second's {@code limit}, counted over every instance. */
    @Override
    public Mono<Boolean> tryAcquire(String tenantId, int limit) {
        long second = wallClockMillis.getAsLong() / 1000;
        Window window = windows.compute(tenantId, (id, w) -> w == null || w.second != second ? new Window(second) : w);
        if (window.left.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0) {
            return PERMITTED;
        }
        if (window.exhausted) {
            return REFUSED;
        }
        int chunk = SharedRate.chunk(limit);
        Mono<Long> reserve = redis.get().flatMap(c -> c.<Long>eval(SCRIPT, ScriptOutputType.INTEGER,
                new String[] {key(tenantId, second)}, Integer.toString(chunk)).next());
        // Only a reservation waits (not the permits handed out from memory): a count that does not
        // come back in time is no count.
        return stores.redis(reserve).timeout(COUNT_WAIT, Schedulers.parallel()).map(counted -> {
            int granted = SharedRate.granted(counted, chunk, limit);
            if (granted <= 0) {
                window.exhausted = true;
                return false;
            }
            window.left.addAndGet(granted - 1L);
            return true;
        });
    }
}
