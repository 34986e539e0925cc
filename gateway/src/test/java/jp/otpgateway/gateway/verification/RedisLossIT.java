package jp.otpgateway.gateway.verification;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA;

import java.time.Duration;
import java.util.Map;
import jp.otpgateway.gateway.shared.adapter.redis.GuardConnection;
import jp.otpgateway.gateway.verification.adapter.redis.RedisOtpGuard;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Redis loses its data (restart without persistence, flush, failover): a lock, a used code and the
 * failure count survive because PostgreSQL holds them too and the guard is rebuilt from it.
 */
@IntegrationTest
class RedisLossIT extends TwoTenantsTest {

    @Autowired
    GuardConnection redis;

    void flushRedis() {
        redis.get().flatMap(c -> c.flushdb()).block(Duration.ofSeconds(5)); // the tests' own Redis database
    }

    @Test
    void aLockedTokenStaysLocked() {
        String login = alpha.activeUser();
        for (int i = 0; i < 5; i++) {
            alpha.verify(login, alpha.wrongCode()).expectStatus().isEqualTo(422);
        }
        flushRedis();
        alpha.verify(login, alpha.code()).expectStatus().isEqualTo(423);
    }

    @Test
    void aUsedCodeStaysUsed() {
        String login = alpha.activeUser();
        String code = alpha.code();
        alpha.verify(login, code).expectStatus().isOk();
        flushRedis();
        alpha.verify(login, code).expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("OTP_REPLAYED");
    }

    @Test
    void theFailureCountIsNotReset() {
        String login = alpha.activeUser();
        for (int i = 0; i < 3; i++) {
            alpha.verify(login, alpha.wrongCode()).expectStatus().isEqualTo(422);
        }
        flushRedis();
        alpha.verify(login, alpha.wrongCode()).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.remainingAttempts").isEqualTo(1);
        flushRedis();
        alpha.verify(login, alpha.wrongCode()).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.remainingAttempts").isEqualTo(0);
        alpha.verify(login, alpha.code()).expectStatus().isEqualTo(423);
    }

    @Test
    void aStaleRedisCopyIsCaughtByThePostgresReplayGuard() {
        String login = alpha.activeUser();
        String code = alpha.code();
        alpha.verify(login, code).expectStatus().isOk();
        String serial = alpha.status(login).expectBody(Map.class).returnResult().getResponseBody().get("serial").toString();
        // A replica promoted before it saw the acceptance: same version, older step.
        redis.get().flatMap(c -> c.hset(RedisOtpGuard.key(ALPHA, serial), "last", "0")).block(Duration.ofSeconds(5));
        alpha.verify(login, code).expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("OTP_REPLAYED");
    }
}
