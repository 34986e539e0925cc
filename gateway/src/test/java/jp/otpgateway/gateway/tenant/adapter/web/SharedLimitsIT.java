package jp.otpgateway.gateway.tenant.adapter.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import jp.otpgateway.gateway.shared.adapter.redis.GuardConnection;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.tenant.adapter.redis.RedisTenantRates;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A tenant's requests per second are counted over every instance: two instances' counters (each
 * with its own permits in memory, as two gateways have) on the real Redis, asked alternately
 * within one second, grant the tenant's limit in all, not the limit each. (Two gateway processes
 * behind a balancer: deploy/balanced.sh; one instance's HTTP path: TenantIsolationIT.)
 */
@IntegrationTest
class SharedLimitsIT {

    @Autowired
    GuardConnection redis;

    @Autowired
    StoreCalls stores;

    @Test
    void twoInstancesTogetherGrantTheTenantsRateNotTwiceIt() throws InterruptedException {
        for (int limit : new int[] {5, 200}) { // one permit per reservation, and four per reservation
            List<RedisTenantRates> instances = List.of(new RedisTenantRates(redis, stores), new RedisTenantRates(redis, stores));
            String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
            for (int attempt = 0; ; attempt++) {
                Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 20); // just after a second begins
                long second = System.currentTimeMillis() / 1000;
                List<Boolean> granted = new ArrayList<>();
                for (int i = 0; i < 3 * limit; i++) {
                    granted.add(instances.get(i % 2).tryAcquire(tenant + attempt, limit).block(Duration.ofSeconds(5)));
                }
                if (System.currentTimeMillis() / 1000 != second && attempt < 5) {
                    continue; // the requests did not fit in one second on this machine: again
                }
                assertThat(granted.stream().filter(g -> g).count()).as("limit %d", limit).isEqualTo(limit);
                break;
            }
        }
    }
}
