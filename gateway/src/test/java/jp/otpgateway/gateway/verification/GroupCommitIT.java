package jp.otpgateway.gateway.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.Parallel;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * The batched hot path (group commit): parallel verifications of many users read their tokens and
 * store their acceptances in shared statements, and each still gets its own answer, its own audit
 * event and its own replay guard.
 */
@IntegrationTest
class GroupCommitIT extends TwoTenantsTest {

    @Autowired
    DatabaseClient db;

    @Test
    void parallelVerificationsOfManyUsersAreEachAcceptedOnceAndAudited() {
        List<String> logins = alpha.activatedUsers(40);
        clock.advance(Duration.ofSeconds(60));
        String code = alpha.code();
        List<EntityExchangeResult<Map>> first = Parallel.requests(40, i -> alpha.verify(logins.get(i), code));
        assertThat(Parallel.count(first, 200)).isEqualTo(40);
        // The same code again, all at once: every one a replay, none accepted twice.
        List<EntityExchangeResult<Map>> again = Parallel.requests(40, i -> alpha.verify(logins.get(i), code));
        assertThat(Parallel.count(again, 422)).isEqualTo(40);
        // (Awaited: the driver answers at the statement's completion, its implicit commit follows at once.)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (String login : logins) {
                List<String> outcomes = db.sql("SELECT outcome FROM audit_events WHERE tenant_id = 'it-alpha'"
                                + " AND login_id = :l AND operation = 'LOGIN' ORDER BY event_id")
                        .bind("l", login).map(row -> row.get("outcome", String.class)).all().collectList().block();
                assertThat(outcomes).as(login).containsExactly("ACCEPTED", "REPLAYED");
            }
        });
        // The next step's code works for everybody (the stored step moved on for each token).
        clock.advance(Duration.ofSeconds(60));
        String next = alpha.code();
        assertThat(Parallel.count(Parallel.requests(40, i -> alpha.verify(logins.get(i), next)), 200)).isEqualTo(40);
    }

    @Test
    void parallelWrongCodesOfManyUsersAreEachCountedAndAuditedInBatches() {
        List<String> logins = alpha.activatedUsers(40);
        clock.advance(Duration.ofSeconds(60));
        String wrong = alpha.wrongCode();
        for (int round = 1; round <= 2; round++) {
            int remaining = 5 - round;
            List<EntityExchangeResult<Map>> results = Parallel.requests(40, i -> alpha.verify(logins.get(i), wrong));
            assertThat(results).allSatisfy(r -> {
                assertThat(r.getStatus().value()).isEqualTo(422);
                assertThat(r.getResponseBody().get("remainingAttempts")).isEqualTo(remaining);
            });
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (String login : logins) {
                Map<String, Object> row = db.sql("SELECT t.failure_count, t.locked FROM assignments a JOIN tokens t"
                                + " ON t.tenant_id = a.tenant_id AND t.serial = a.serial"
                                + " WHERE a.tenant_id = 'it-alpha' AND a.login_id = :l AND a.state = 'ACTIVE'")
                        .bind("l", login).fetch().one().block();
                assertThat(row).as(login).containsEntry("failure_count", 2).containsEntry("locked", false);
                List<String> outcomes = db.sql("SELECT outcome FROM audit_events WHERE tenant_id = 'it-alpha'"
                                + " AND login_id = :l AND operation = 'LOGIN' ORDER BY event_id")
                        .bind("l", login).map(row2 -> row2.get("outcome", String.class)).all().collectList().block();
                assertThat(outcomes).as(login).containsExactly("INVALID", "INVALID");
            }
        });
    }
}
