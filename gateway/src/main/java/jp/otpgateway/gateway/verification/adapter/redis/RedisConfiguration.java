package jp.otpgateway.gateway.verification.adapter.redis;

import jp.otpgateway.gateway.shared.adapter.redis.GuardConnection;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.config.OtpProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The guard's own Redis connection (shared with the app setups' rate limit) and the guard. */
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
}
