package jp.otpgateway.gateway.shared.adapter.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;

class StoreFailuresTest {

    @Test
    void aRedisThatCannotServeDuringAFailoverIsAnOutageNotABug() {
        for (String answer : new String[] {"CLUSTERDOWN The cluster is down", "TRYAGAIN Multiple keys request during rehashing of slot",
                "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
                "LOADING Redis is loading the dataset in memory", "READONLY You can't write against a read only replica."}) {
            assertThat(StoreFailures.isUnavailable(new IllegalStateException(new RedisCommandExecutionException(answer))))
                    .as(answer).isTrue();
        }
        assertThat(StoreFailures.isUnavailable(new RedisException("Currently not connected"))).isTrue();
    }

    @Test
    void anErrorRedisAnswersToABadCommandIsABug() {
        assertThat(StoreFailures.isUnavailable(new RedisCommandExecutionException("ERR wrong number of arguments for 'hset' command")))
                .isFalse();
        assertThat(StoreFailures.isUnavailable(new RedisCommandExecutionException("NOSCRIPT No matching script"))).isFalse();
        assertThat(StoreFailures.isUnavailable(new RedisCommandExecutionException("CLUSTERDOWNISH"))).isFalse();
    }
}
