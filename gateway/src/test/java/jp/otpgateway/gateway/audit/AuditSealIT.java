package jp.otpgateway.gateway.audit;

import static jp.otpgateway.gateway.support.IntegrationTest.EPSILON;
import static jp.otpgateway.gateway.support.IntegrationTest.EPSILON_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.EPSILON_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import jp.otpgateway.gateway.audit.application.SealingAudit;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import jp.otpgateway.gateway.tenant.application.TenantRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The audit trail through the API against PostgreSQL: the query and its paging under concurrent
 * inserts, the CSV, and the sealed chain — each way of tampering (an UPDATE, a DELETE, an INSERT,
 * a swap of two rows, a deleted block) is detected and named, then undone; a purge past the
 * retention period leaves a chain that verifies.
 */
@IntegrationTest
class AuditSealIT extends TwoTenantsTest {

    @Autowired
    DatabaseClient db;

    @Autowired
    SealingAudit sealing;

    @Autowired
    TenantRegistry tenants;

    OtpApi epsilon;

    @BeforeEach
    void epsilonTenant() {
        epsilon = new OtpApi(http, EPSILON, EPSILON_PORTAL, EPSILON_OPERATOR, clock);
    }

    /** A user with a token and a few attempts: audit events of its own. */
    String userWithEvents(int wrongCodes) {
        String login = epsilon.activeUser();
        for (int i = 0; i < wrongCodes; i++) {
            epsilon.verify(login, epsilon.wrongCode()).expectStatus().isEqualTo(422);
        }
        epsilon.verify(login, epsilon.code()).expectStatus().isOk();
        return login;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> verification() {
        return epsilon.operatorPost("/operator/audit/verification", Map.of()).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    long sealNow() {
        return sealing.seal(EPSILON, Duration.ZERO).block();
    }

    long committedEvents(String login) {
        return db.sql("SELECT count(*) FROM audit_events WHERE tenant_id = :t AND login_id = :l").bind("t", EPSILON)
                .bind("l", login).map(r -> r.get(0, Long.class)).one().block();
    }

    void run(String sql) {
        db.sql(sql).fetch().rowsUpdated().block();
    }

    /** Waits until the user's events (written by the batched attempts) are all committed, then seals them. */
    void sealEventsOf(String login, long expected) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> committedEvents(login) >= expected);
        sealNow();
    }

    @Test
    void everyWayOfTamperingIsDetectedAndNamed() {
        String login = userWithEvents(3);
        sealEventsOf(login, 6);
        String other = userWithEvents(2);
        sealEventsOf(other, 5);
        assertThat(verification()).containsEntry("intact", true);

        List<Long> ids = db.sql("SELECT event_id FROM audit_events WHERE tenant_id = :t AND login_id = :l ORDER BY event_id")
                .bind("t", EPSILON).bind("l", login).map(r -> r.get(0, Long.class)).all().collectList().block();
        long a = ids.get(1);
        long b = ids.get(2);
        long block = db.sql("SELECT block_no FROM audit_seals WHERE tenant_id = :t AND :id BETWEEN first_event_id AND last_event_id")
                .bind("t", EPSILON).bind("id", a).map(r -> r.get(0, Long.class)).one().block();
        String row = "tenant_id = '" + EPSILON + "' AND event_id = ";

        // An UPDATE of one row
        String outcome = db.sql("SELECT outcome FROM audit_events WHERE " + row + a).map(r -> r.get(0, String.class))
                .one().block();
        run("UPDATE audit_events SET outcome = 'FORGED' WHERE " + row + a);
        assertBroken(block, "digest");
        run("UPDATE audit_events SET outcome = '" + outcome + "' WHERE " + row + a);
        assertThat(verification()).containsEntry("intact", true);

        // A swap of two rows (their contents change places)
        run("UPDATE audit_events x SET operation = y.operation, outcome = y.outcome, occurred_at = y.occurred_at "
                + "FROM audit_events y WHERE x.tenant_id = y.tenant_id AND x.tenant_id = '" + EPSILON + "' AND "
                + "((x.event_id = " + a + " AND y.event_id = " + ids.get(0) + ") OR (x.event_id = " + ids.get(0)
                + " AND y.event_id = " + a + "))");
        assertBroken(block, "digest");
        run("UPDATE audit_events x SET operation = y.operation, outcome = y.outcome, occurred_at = y.occurred_at "
                + "FROM audit_events y WHERE x.tenant_id = y.tenant_id AND x.tenant_id = '" + EPSILON + "' AND "
                + "((x.event_id = " + a + " AND y.event_id = " + ids.get(0) + ") OR (x.event_id = " + ids.get(0)
                + " AND y.event_id = " + a + "))");
        assertThat(verification()).containsEntry("intact", true);

        // A DELETE
        Map<String, Object> kept = db.sql("SELECT * FROM audit_events WHERE " + row + b).fetch().one().block();
        run("DELETE FROM audit_events WHERE " + row + b);
        assertBroken(block, "rows");
        db.sql("INSERT INTO audit_events (tenant_id, event_id, occurred_at, login_id, serial, operation, outcome, client,"
                        + " actor, staff_id, contract_id, recorded_at) OVERRIDING SYSTEM VALUE "
                        + "VALUES (:t, :id, :at, :l, :s, :op, :out, :c, NULL, NULL, NULL, now())")
                .bind("t", EPSILON).bind("id", b).bind("at", kept.get("occurred_at")).bind("l", kept.get("login_id"))
                .bind("s", kept.get("serial")).bind("op", kept.get("operation")).bind("out", kept.get("outcome"))
                .bind("c", kept.get("client")).then().block();
        assertThat(verification()).containsEntry("intact", true);

        // An INSERT (below the first sealed event: no sealer ever saw it)
        long firstSealed = db.sql("SELECT first_event_id FROM audit_seals WHERE tenant_id = :t AND block_no = 1")
                .bind("t", EPSILON).map(r -> r.get(0, Long.class)).one().block();
        run("INSERT INTO audit_events (tenant_id, event_id, occurred_at, login_id, operation, outcome, client) "
                + "OVERRIDING SYSTEM VALUE VALUES ('" + EPSILON + "', " + (firstSealed - 1) + ", now(), 'ghost', "
                + "'LOGIN', 'ACCEPTED', 'portal')");
        Map<String, Object> inserted = verification();
        assertThat(inserted).containsEntry("intact", false).containsEntry("firstBadBlock", 1);
        assertThat((String) inserted.get("reason")).containsAnyOf("inserted", "written into a purged block");
        run("DELETE FROM audit_events WHERE " + row + (firstSealed - 1));
        assertThat(verification()).containsEntry("intact", true);

        // A deleted block
        Map<String, Object> seal = db.sql("SELECT * FROM audit_seals WHERE tenant_id = :t AND block_no = :n")
                .bind("t", EPSILON).bind("n", block).fetch().one().block();
        run("DELETE FROM audit_seals WHERE tenant_id = '" + EPSILON + "' AND block_no = " + block);
        Map<String, Object> missing = verification();
        assertThat(missing).containsEntry("intact", false);
        assertThat((String) missing.get("reason")).contains("block " + block + " is missing");
        db.sql("INSERT INTO audit_seals (tenant_id, block_no, first_event_id, last_event_id, row_count, last_at, digest,"
                        + " mac, sealed_at, format) VALUES (:t, :n, :f, :l, :c, :at, :d, :m, :s, :fmt)")
                .bind("t", EPSILON).bind("n", block).bind("f", seal.get("first_event_id")).bind("l", seal.get("last_event_id"))
                .bind("c", seal.get("row_count")).bind("at", seal.get("last_at")).bind("d", seal.get("digest"))
                .bind("m", seal.get("mac")).bind("s", seal.get("sealed_at")).bind("fmt", seal.get("format")).then().block();
        assertThat(verification()).containsEntry("intact", true);

        // A block's digest format set back to 1 (which does not cover the subject): its digest no longer checks
        run("UPDATE audit_seals SET format = 1 WHERE tenant_id = '" + EPSILON + "' AND block_no = " + block);
        assertBroken(block, "digest");
        run("UPDATE audit_seals SET format = 2 WHERE tenant_id = '" + EPSILON + "' AND block_no = " + block);
        assertThat(verification()).containsEntry("intact", true);

        // A forged seal (its MAC made without the key)
        run("UPDATE audit_seals SET row_count = row_count + 1 WHERE tenant_id = '" + EPSILON + "' AND block_no = " + block);
        assertBroken(block, "MAC");
        run("UPDATE audit_seals SET row_count = row_count - 1 WHERE tenant_id = '" + EPSILON + "' AND block_no = " + block);
        assertThat(verification()).containsEntry("intact", true);
    }

    void assertBroken(long block, String reason) {
        Map<String, Object> v = verification();
        assertThat(v).containsEntry("intact", false).containsEntry("firstBadBlock", (int) block);
        assertThat((String) v.get("reason")).contains(reason);
    }

    @Test
    void aPurgePastTheRetentionPeriodLeavesAChainThatVerifies() {
        sealNow();
        clock.fix(Instant.parse("2001-04-01T00:00:00Z"));
        String old = userWithEvents(1);
        sealEventsOf(old, 4);
        clock.reset();
        String recent = userWithEvents(1);
        sealEventsOf(recent, 4);

        long purged = sealing.purge(tenants.tenant(EPSILON).orElseThrow()).block();
        assertThat(purged).isGreaterThanOrEqualTo(3);
        assertThat(committedEvents(old)).isZero();
        assertThat(committedEvents(recent)).isEqualTo(4); // activation (attempt, activated), a wrong code, a right one
        assertThat(verification()).containsEntry("intact", true);

        // Rows removed from a block still inside its retention: detected.
        long recentBlock = db.sql("SELECT max(block_no) FROM audit_seals WHERE tenant_id = :t").bind("t", EPSILON)
                .map(r -> r.get(0, Long.class)).one().block();
        run("UPDATE audit_seals SET purged_at = now() WHERE tenant_id = '" + EPSILON + "' AND block_no = " + recentBlock);
        assertBroken(recentBlock, "retention");
        run("UPDATE audit_seals SET purged_at = NULL WHERE tenant_id = '" + EPSILON + "' AND block_no = " + recentBlock);
        assertThat(verification()).containsEntry("intact", true);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theQueryPagesNewestFirstAndStaysStableWhileEventsArrive() {
        String login = userWithEvents(6);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> committedEvents(login) >= 8);
        List<Long> seen = new ArrayList<>();
        List<CompletableFuture<Void>> arriving = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> page = epsilon.operatorGet("/operator/audit?loginId=" + login + "&limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor)).expectStatus().isOk().expectBody(Map.class)
                    .returnResult().getResponseBody();
            for (Map<String, Object> item : (List<Map<String, Object>>) page.get("items")) {
                seen.add(((Number) item.get("id")).longValue());
                assertThat(item).containsEntry("loginId", login);
                if ("INVALID".equals(item.get("outcome"))) {
                    assertThat(item).containsEntry("outcomeLabel", "認証失敗（入力誤り）");
                }
            }
            arriving.add(CompletableFuture.runAsync(() -> epsilon.verify(login, epsilon.wrongCode())
                    .expectStatus().isEqualTo(422)));
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        arriving.forEach(CompletableFuture::join);
        assertThat(new HashSet<>(seen)).hasSameSizeAs(seen);
        assertThat(seen).isSortedAccordingTo((x, y) -> Long.compare(y, x));
        assertThat(seen.size()).isGreaterThanOrEqualTo(8);

        epsilon.operatorGet("/operator/audit?loginId=" + login + "&operation=ACTIVATION").expectStatus().isOk()
                .expectBody().jsonPath("$.items[*].operation").value(ops -> assertThat((List<String>) ops)
                        .isNotEmpty().containsOnly("ACTIVATION"))
                .jsonPath("$.items[0].operationLabel").isEqualTo("利用開始登録");
        byte[] csv = http.get().uri("/v1/tenants/{t}/operator/audit?loginId={l}", EPSILON, login)
                .headers(h -> h.setBearerAuth(EPSILON_OPERATOR)).accept(MediaType.parseMediaType("text/csv"))
                .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        String text = new String(csv, StandardCharsets.UTF_8);
        assertThat(text).contains("\"operation_label\"").contains(login).doesNotContain(OtpApi.SEED_HEX);
        epsilon.operatorGet("/operator/audit?from=yesterday").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("from");
        epsilon.operatorGet("/operator/audit?cursor=abc").expectStatus().isBadRequest();
        epsilon.portalGet("/operator/audit").expectStatus().isForbidden();
    }
}
