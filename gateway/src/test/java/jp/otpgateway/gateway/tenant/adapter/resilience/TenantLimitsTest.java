package jp.otpgateway.gateway.tenant.adapter.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.lettuce.core.RedisException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import jp.otpgateway.tenant.load.LoadResult;
import jp.otpgateway.tenant.load.TenantConfigLoader;
import jp.otpgateway.tenant.model.TenantConfig;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class TenantLimitsTest {

    /** Redis cannot count: every test here runs on the instance's own limiter (the fallback). */
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final TenantLimits limits = new TenantLimits((tenant, limit) -> Mono.error(new RedisException("Currently not connected")),
            meters, true);

    static TenantConfig tenant(String id, int perSecond, int concurrent) {
        String yaml = "id: " + id + "\nname: テスト\nnotifications:\n  from: otp@example.jp\n"
                + "clients:\n  - name: portal\n    role: portal\n    keySha256: \"" + "0".repeat(64) + "\"\n"
                + "limits:\n  requestsPerSecond: " + perSecond + "\n  concurrentRequests: " + concurrent + "\n";
        LoadResult result = new TenantConfigLoader().load(id + ".yaml", id, yaml);
        assertThat(result).isInstanceOf(LoadResult.Valid.class);
        return ((LoadResult.Valid) result).config();
    }

    @Test
    void theBulkheadRefusesTheCallOverTheTenantsConcurrencyAndFreesThePermitAtTheEnd() {
        TenantConfig tenant = tenant("t-bulkhead", 1_000, 2);
        Disposable first = limits.within(tenant, Mono.never()).subscribe();
        Disposable second = limits.within(tenant, Mono.never()).subscribe();

        StepVerifier.create(limits.within(tenant, Mono.just("third"))).expectError(BulkheadFullException.class)
                .verify(Duration.ofSeconds(5));

        first.dispose();
        StepVerifier.create(limits.within(tenant, Mono.just("after"))).expectNext("after").verifyComplete();
        second.dispose();
    }

    @Test
    void anotherTenantIsNotTouchedByOnesFullBulkhead() {
        TenantConfig busy = tenant("t-busy", 1_000, 1);
        TenantConfig calm = tenant("t-calm", 1_000, 1);
        Disposable hold = limits.within(busy, Mono.never()).subscribe();

        StepVerifier.create(limits.within(busy, Mono.just(1))).expectError(BulkheadFullException.class)
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(limits.within(calm, Mono.just(2))).expectNext(2).verifyComplete();
        hold.dispose();
    }

    @Test
    void theRateLimiterRefusesCallsOverTheTenantsRatePerSecond() {
        TenantConfig tenant = tenant("t-rate", 5, 100);
        int refused = 0;
        for (int i = 0; i < 30; i++) {
            try {
                limits.within(tenant, Mono.just(i)).block(Duration.ofSeconds(1));
            } catch (RequestNotPermitted e) {
                refused++;
            }
        }
        // 30 calls take far less than a second: at most two periods of 5 pass.
        assertThat(refused).isBetween(20, 25);
        assertThat(meters.counter("otp.rate-limits.local", "tenant", "t-rate").count()).isEqualTo(30);
    }

    @Test
    void withoutTheSharedCountTheInstanceCountsAloneAndRedisIsNotAsked() {
        TenantLimits alone = new TenantLimits((tenant, limit) -> {
            throw new AssertionError("the shared count was asked");
        }, meters, false);
        StepVerifier.create(alone.within(tenant("t-alone", 1_000, 100), Mono.just(3))).expectNext(3).verifyComplete();
    }

    @Test
    void theSharedCountDecidesWhileItAnswers() {
        TenantLimits counted = new TenantLimits((tenant, limit) -> Mono.just(false), meters, true);
        StepVerifier.create(counted.within(tenant("t-shared", 1_000, 100), Mono.just(1)))
                .expectError(RequestNotPermitted.class).verify(Duration.ofSeconds(5));
        TenantLimits open = new TenantLimits((tenant, limit) -> Mono.just(true), meters, true);
        StepVerifier.create(open.within(tenant("t-shared", 1, 100), Mono.just(2))).expectNext(2).verifyComplete();
    }

    @Test
    void aReloadedTenantWithOtherNumbersGetsThemAtOnce() {
        Disposable hold = limits.within(tenant("t-reload", 1_000, 1), Mono.never()).subscribe();
        StepVerifier.create(limits.within(tenant("t-reload", 1_000, 2), Mono.just("room"))).expectNext("room")
                .verifyComplete();
        hold.dispose();
    }
}
