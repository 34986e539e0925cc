package jp.otpgateway.gateway.provisioning.adapter.redis;

import java.time.Clock;
import jp.otpgateway.gateway.config.OtpProperties;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.shared.adapter.redis.GuardConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** App setups per client address, counted in Redis on the guard's connection. */
@Configuration(proxyBeanMethods = false)
class SetupRateLimitConfiguration {

    @Bean
    RedisSetupRateLimit redisSetupRateLimit(GuardConnection connection, StoreCalls stores, Clock clock,
                                            OtpProperties properties) {
        return new RedisSetupRateLimit(connection, stores, clock, properties);
    }
}
