package jp.otpgateway.gateway.tenant.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import jp.otpgateway.gateway.shared.adapter.redis.GuardConnection;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A tenant's requests per second are counted over every instance: two instances' counters (each
 * with its own permits in memory, as two gateways have) on the real Redis, asked alternately
 * within one second (a fixed one: no waiting on the wall clock), grant the tenant's limit in all,
 * not the limit each; the next second starts again. (Gateways behind a balancer: deploy/balanced.sh.)
 */
@IntegrationTest
class SharedLimitsIT {

    @Autowired
    GuardConnection redis;

    @Autowired
    StoreCalls stores;

    long granted(List<RedisTenantRates> instances, String tenant, int limit, int asks) {
        long n = 0;
        for (int i = 0; i < asks; i++) {
            if (instances.get(i % 2).tryAcquire(tenant, limit).block(Duration.ofSeconds(5))) {
                n++;
            }
        }
        return n;
    }

    @Test
    void twoInstancesTogetherGrantTheTenantsRateNotTwiceIt() {
        long[] now = {1_800_000_000_000L};
        for (int limit : new int[] {5, 200}) { // one permit per reservation, and four per reservation
            List<RedisTenantRates> instances = List.of(new RedisTenantRates(redis, stores, () -> now[0]),
                    new RedisTenantRates(redis, stores, () -> now[0]));
            String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
            assertThat(granted(instances, tenant, limit, 3 * limit)).as("limit %d", limit).isEqualTo(limit);
            now[0] += 1_000;
            assertThat(granted(instances, tenant, limit, 3 * limit)).as("the next second, limit %d", limit).isEqualTo(limit);
        }
    }
}
