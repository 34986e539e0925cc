package jp.otpgateway.gateway.verification;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.Parallel;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/** R1, R7 under real parallel requests: the guard decides each attempt atomically. */
@IntegrationTest
class ConcurrencyIT extends TwoTenantsTest {

    @Autowired
    DatabaseClient db;

    /** Sends {@code n} requests at once from as many threads, released together, and answers their results. */
    @Test
    void hundredParallelWrongCodesCountExactlyNAndTheRestAreLocked() {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        String serial = alpha.token();
        alpha.activated(login, serial);
        String wrong = alpha.wrongCode();

        List<EntityExchangeResult<Map>> results = Parallel.requests(100, i -> alpha.verify(login, wrong));

        assertThat(Parallel.count(results, 422)).isEqualTo(5);
        assertThat(Parallel.count(results, 423)).isEqualTo(95);
        assertThat(results.stream().filter(r -> r.getStatus().value() == 422)
                .map(r -> ((Number) r.getResponseBody().get("remainingAttempts")).intValue()))
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        Map<String, Object> row = db.sql("SELECT locked, failure_count FROM tokens WHERE tenant_id = :t AND serial = :s")
                .bind("t", ALPHA).bind("s", serial).fetch().one().block(Duration.ofSeconds(5));
        assertThat(row).containsEntry("locked", true).containsEntry("failure_count", 5);
    }

    @Test
    void theSameValidCodeSentInParallelIsAcceptedOnce() {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        alpha.activated(login, alpha.token());
        clock.advance(Duration.ofSeconds(60));
        String code = alpha.code();

        List<EntityExchangeResult<Map>> results = Parallel.requests(20, i -> alpha.verify(login, code));

        // The first script run accepts; every replay counts as a failure (R1, R7), so the fifth locks.
        assertThat(Parallel.count(results, 200)).isEqualTo(1);
        assertThat(Parallel.count(results, 422)).isEqualTo(5);
        assertThat(Parallel.count(results, 423)).isEqualTo(14);
        assertThat(results).filteredOn(r -> r.getStatus().value() == 422)
                .allSatisfy(r -> assertThat(r.getResponseBody().get("code")).isEqualTo("OTP_REPLAYED"));
    }

    @Test
    void theSameValidCodeSentTwiceAtOnceIsAcceptedOnce() {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        alpha.activated(login, alpha.token());
        clock.advance(Duration.ofSeconds(60));
        String code = alpha.code();
        List<EntityExchangeResult<Map>> results = Parallel.requests(2, i -> alpha.verify(login, code));
        assertThat(Parallel.count(results, 200)).isEqualTo(1);
        assertThat(Parallel.count(results, 422)).isEqualTo(1);
    }

    @Test
    void twoSharersSendingTheSameCodeInParallelGetOneAcceptance() {
        String contract = OtpApi.newContract();
        String first = alpha.user(contract, "GENERAL");
        String second = alpha.user(contract, "GENERAL");
        String serial = alpha.token();
        alpha.activated(first, serial);
        clock.advance(Duration.ofSeconds(60));
        alpha.activated(second, serial);
        clock.advance(Duration.ofSeconds(60));
        String code = alpha.code();

        List<EntityExchangeResult<Map>> results = Parallel.requests(2, i -> alpha.verify(i == 0 ? first : second, code));

        assertThat(Parallel.count(results, 200)).isEqualTo(1);
        assertThat(Parallel.count(results, 422)).isEqualTo(1);
    }
}
