package jp.otpgateway.gateway.adapter.redis;

import java.time.Clock;
import jp.otpgateway.gateway.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.config.OtpProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RedisConfiguration {

    @Bean
    GuardConnection guardConnection(DataRedisProperties properties) {
        return new GuardConnection(properties);
    }

    @Bean
    RedisOtpGuard redisOtpGuard(GuardConnection connection, StoreCalls stores, OtpProperties properties) {
        return new RedisOtpGuard(connection, stores, properties);
    }

    @Bean
    RedisSetupRateLimit redisSetupRateLimit(GuardConnection connection, StoreCalls stores, Clock clock,
                                            OtpProperties properties) {
        return new RedisSetupRateLimit(connection, stores, clock, properties);
    }
}
