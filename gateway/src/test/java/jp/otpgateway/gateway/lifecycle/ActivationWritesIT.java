package jp.otpgateway.gateway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
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

/**
 * First hardware activations are written in group-committed batches (R2dbcActivationWrites, issue
 * #16). Real parallel requests check that each is still written whole or not at all, with the same
 * rows the transactional path writes, and that races between activations end as they would one
 * after the other (R5, R6).
 */
@IntegrationTest
class ActivationWritesIT extends TwoTenantsTest {

    @Autowired
    DatabaseClient db;

    @Test
    void parallelFirstActivationsAreEachWrittenWhole() {
        List<String> logins = new ArrayList<>();
        List<String> serials = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String login = alpha.user(OtpApi.newContract(), "GENERAL");
            if (i % 2 == 0) { // half of them ordered their token through the portal
                alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "HARDWARE"), login).expectStatus().isCreated();
            }
            logins.add(login);
            serials.add(alpha.token());
        }
        String code = alpha.code();
        List<EntityExchangeResult<Map>> results = Parallel.requests(40,
                i -> alpha.activate(logins.get(i), serials.get(i), code));
        assertThat(Parallel.count(results, 200)).as("answers: %s", results.stream()
                .map(r -> r.getStatus().value() + " " + r.getResponseBody()).toList()).isEqualTo(40);
        assertThat(results).allSatisfy(r -> assertThat(r.getResponseBody().get("sharedWith")).isEqualTo(List.of()));
        for (int i = 0; i < 40; i++) {
            String login = logins.get(i);
            Map<String, Object> row = db.sql("""
                            SELECT a.serial, a.state, a.activated_at IS NOT NULL AS started,
                                   t.contract_id = u.contract_id AS bound,
                                   (SELECT count(*) FROM audit_events e WHERE e.tenant_id = a.tenant_id
                                       AND e.login_id = a.login_id AND e.operation = 'ACTIVATION'
                                       AND e.outcome = 'ACTIVATED' AND e.serial = a.serial AND e.client = 'portal') AS audited,
                                   (SELECT string_agg(s.status, ',') FROM shipments s WHERE s.tenant_id = a.tenant_id
                                       AND s.login_id = a.login_id) AS shipments
                              FROM assignments a
                              JOIN users u ON u.tenant_id = a.tenant_id AND u.login_id = a.login_id
                              JOIN tokens t ON t.tenant_id = a.tenant_id AND t.serial = a.serial
                             WHERE a.tenant_id = 'it-alpha' AND a.login_id = :l""")
                    .bind("l", login).fetch().one().block();
            assertThat(row).as(login)
                    .containsEntry("serial", serials.get(i)).containsEntry("state", "ACTIVE")
                    .containsEntry("started", true).containsEntry("bound", true).containsEntry("audited", 1L)
                    .containsEntry("shipments", i % 2 == 0 ? "COMPLETED" : null);
        }
    }

    @Test
    void aUserActivatingTwoTokensAtOnceGetsOneAndTheOtherIsLeftUntouched() {
        int users = 20;
        List<String> logins = new ArrayList<>();
        List<String> serials = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            logins.add(alpha.user(OtpApi.newContract(), "GENERAL"));
            serials.add(alpha.token());
            serials.add(alpha.token());
        }
        String code = alpha.code();
        List<EntityExchangeResult<Map>> results = Parallel.requests(2 * users,
                i -> alpha.activate(logins.get(i / 2), serials.get(i), code));
        for (int u = 0; u < users; u++) {
            EntityExchangeResult<Map> a = results.get(2 * u);
            EntityExchangeResult<Map> b = results.get(2 * u + 1);
            assertThat(List.of(a.getStatus().value(), b.getStatus().value())).as(logins.get(u))
                    .containsExactlyInAnyOrder(200, 409);
            EntityExchangeResult<Map> lost = a.getStatus().value() == 409 ? a : b;
            assertThat(lost.getResponseBody().get("code")).isEqualTo("ALREADY_ACTIVE");
            String won = a.getStatus().value() == 200 ? serials.get(2 * u) : serials.get(2 * u + 1);
            String other = won.equals(serials.get(2 * u)) ? serials.get(2 * u + 1) : serials.get(2 * u);
            assertThat(activeSerials(logins.get(u))).containsExactly(won);
            // Nothing of the losing activation was written: its token bound to no contract, no event.
            assertThat(db.sql("SELECT contract_id FROM tokens WHERE tenant_id = 'it-alpha' AND serial = :s")
                    .bind("s", other).map(row -> java.util.Optional.ofNullable(row.get("contract_id", String.class)))
                    .one().block()).isEmpty();
            assertThat(activatedEvents(logins.get(u))).containsExactly(won);
        }
    }

    @Test
    void usersOfTwoContractsRacingForOneTokenLeaveItToOne() {
        int tokens = 20;
        List<String> logins = new ArrayList<>();
        List<String> serials = new ArrayList<>();
        for (int i = 0; i < tokens; i++) {
            serials.add(alpha.token());
            logins.add(alpha.user(OtpApi.newContract(), "GENERAL"));
            logins.add(alpha.user(OtpApi.newContract(), "GENERAL"));
        }
        // Two codes the window accepts, so that both may pass the code check and race in the write.
        String earlier = OtpApi.codeAt(clock.instant().minus(Duration.ofSeconds(60)));
        String now = alpha.code();
        List<EntityExchangeResult<Map>> results = Parallel.requests(2 * tokens,
                i -> alpha.activate(logins.get(i), serials.get(i / 2), i % 2 == 0 ? earlier : now));
        for (int t = 0; t < tokens; t++) {
            String serial = serials.get(t);
            List<Integer> statuses = List.of(results.get(2 * t).getStatus().value(),
                    results.get(2 * t + 1).getStatus().value());
            assertThat(statuses).as(serial).containsOnlyOnce(200);
            EntityExchangeResult<Map> lost = results.get(2 * t).getStatus().value() == 200
                    ? results.get(2 * t + 1) : results.get(2 * t);
            assertThat(lost.getStatus().value()).isIn(409, 422);
            if (lost.getStatus().value() == 409) {
                assertThat(lost.getResponseBody().get("code")).isEqualTo("TOKEN_OTHER_CONTRACT");
            }
            String winner = results.get(2 * t).getStatus().value() == 200 ? logins.get(2 * t) : logins.get(2 * t + 1);
            Map<String, Object> row = db.sql("""
                            SELECT array_to_string(ARRAY(SELECT a.login_id FROM assignments a
                                     WHERE a.tenant_id = t.tenant_id AND a.serial = t.serial), ',') AS holders,
                                   t.contract_id = (SELECT contract_id FROM users
                                                     WHERE tenant_id = t.tenant_id AND login_id = :w) AS winners
                              FROM tokens t WHERE t.tenant_id = 'it-alpha' AND t.serial = :s""")
                    .bind("s", serial).bind("w", winner).fetch().one().block();
            assertThat(row).as(serial).containsEntry("holders", winner).containsEntry("winners", true);
        }
    }

    @Test
    void usersOfOneContractActivatingOneTokenAtOnceShareIt() {
        int tokens = 10;
        List<String> logins = new ArrayList<>();
        List<String> serials = new ArrayList<>();
        for (int i = 0; i < tokens; i++) {
            String contract = OtpApi.newContract();
            serials.add(alpha.token());
            logins.add(alpha.user(contract, "MASTER"));
            logins.add(alpha.user(contract, "GENERAL"));
        }
        String earlier = OtpApi.codeAt(clock.instant().minus(Duration.ofSeconds(60)));
        String now = alpha.code();
        List<EntityExchangeResult<Map>> results = Parallel.requests(2 * tokens,
                i -> alpha.activate(logins.get(i), serials.get(i / 2), i % 2 == 0 ? earlier : now));
        for (int t = 0; t < tokens; t++) {
            String master = logins.get(2 * t);
            String general = logins.get(2 * t + 1);
            EntityExchangeResult<Map> m = results.get(2 * t);
            EntityExchangeResult<Map> g = results.get(2 * t + 1);
            // The newer code always passes; the earlier one passes unless the newer was stored first.
            assertThat(g.getStatus().value()).as(general).isEqualTo(200);
            assertThat(m.getStatus().value()).as(master).isIn(200, 422);
            if (m.getStatus().value() == 200) {
                assertThat(activeSerials(master)).containsExactly(serials.get(t));
                alpha.status(master).expectBody().jsonPath("$.sharedWith[0]").isEqualTo(general);
                alpha.status(general).expectBody().jsonPath("$.sharedWith[0]").isEqualTo(master);
            } else {
                assertThat(activeSerials(master)).isEmpty();
                assertThat(g.getResponseBody().get("sharedWith")).isEqualTo(List.of());
            }
        }
    }

    private List<String> activeSerials(String login) {
        return db.sql("SELECT serial FROM assignments WHERE tenant_id = 'it-alpha' AND login_id = :l AND state = 'ACTIVE'")
                .bind("l", login).map(row -> row.get("serial", String.class)).all().collectList().block();
    }

    private List<String> activatedEvents(String login) {
        return db.sql("SELECT serial FROM audit_events WHERE tenant_id = 'it-alpha' AND login_id = :l"
                        + " AND operation = 'ACTIVATION' AND outcome = 'ACTIVATED'")
                .bind("l", login).map(row -> row.get("serial", String.class)).all().collectList().block();
    }
}
