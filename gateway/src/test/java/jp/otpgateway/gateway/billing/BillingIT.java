package jp.otpgateway.gateway.billing;

import static jp.otpgateway.gateway.support.IntegrationTest.DELTA;
import static jp.otpgateway.gateway.support.IntegrationTest.DELTA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.DELTA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import io.micrometer.core.instrument.MeterRegistry;
import jp.otpgateway.gateway.billing.application.ClosingStatements;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.Parallel;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;

/**
 * R15 through the API against PostgreSQL: the manual's cases, the month's edges in JST with a fixed
 * clock, closing once (rerun, parallel closings), a closed month that stays as it was with the
 * adjustment in the next one, the monthly job, and the CSV for the debit.
 *
 * <p>Each test works in a month of its own far in the future (the clock is fixed there), so the
 * tokens of other tests, which expire within a few years, are not held in it. Months are handed out
 * two apart (a test also reads the month after its own) from a random start, never twice in a run.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class BillingIT extends TwoTenantsTest {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    @Autowired
    DatabaseClient db;

    @Autowired
    ClosingStatements closing;

    @Autowired
    MeterRegistry meters;

    OtpApi delta;
    YearMonth month;

    static final AtomicInteger MONTHS = new AtomicInteger(ThreadLocalRandom.current().nextInt(0, 4000) * 2);

    @BeforeEach
    void farMonth() {
        delta = new OtpApi(http, DELTA, DELTA_PORTAL, DELTA_OPERATOR, clock);
        month = YearMonth.of(2100, 1).plusMonths(MONTHS.getAndAdd(2));
    }

    Instant at(YearMonth m, int day, String time) {
        return LocalDateTime.parse(m.atDay(day) + "T" + time).atZone(TOKYO).toInstant();
    }

    /** A new token activated by the user at {@code when} (the clock stays there, past the code's step). */
    String activate(String login, String serial, Instant when) {
        clock.fix(when);
        delta.activated(login, serial);
        clock.fix(when.plusSeconds(60));
        return serial;
    }

    String tokenFor(String login, Instant when) {
        clock.fix(when);
        return activate(login, delta.token(when.plus(Duration.ofDays(3 * 365))), when);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> statement(YearMonth m) {
        return delta.operatorGet("/operator/billing/{m}?limit=1000", m.toString()).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    /** A contract's part of a statement, read page by page. */
    @SuppressWarnings("unchecked")
    Map<String, Object> contractIn(YearMonth m, String contract) {
        String cursor = null;
        do {
            String uri = "/operator/billing/" + m + "?limit=7" + (cursor == null ? "" : "&cursor=" + cursor);
            Map<String, Object> page = delta.operatorGet(uri).expectStatus().isOk().expectBody(Map.class)
                    .returnResult().getResponseBody();
            for (Map<String, Object> c : (List<Map<String, Object>>) page.get("contracts")) {
                if (contract.equals(c.get("contractId"))) {
                    return c;
                }
            }
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        return Map.of("contractId", contract, "total", 0, "tokens", 0, "lines", List.of());
    }

    long total(YearMonth m, String contract) {
        return ((Number) contractIn(m, contract).get("total")).longValue();
    }

    Map<String, Object> close(YearMonth m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = delta.operatorPost("/operator/billing/{m}/closing", Map.of("staffId", "clerk-7"),
                m.toString()).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return body;
    }

    @Test
    void theManualsCases() {
        Instant early = at(month, 1, "09:00:00");
        // one token: free
        String single = OtpApi.newContract();
        tokenFor(delta.user(single, "MASTER"), early);
        // three tokens, one of them shared by two users: two extra tokens, ¥220
        String three = OtpApi.newContract();
        String a = delta.user(three, "MASTER");
        String b = delta.user(three, "GENERAL");
        String shared = tokenFor(a, early);
        clock.fix(at(month, 2, "09:00:00"));
        activate(b, shared, at(month, 2, "09:00:00"));
        tokenFor(delta.user(three, "GENERAL"), at(month, 3, "09:00:00"));
        tokenFor(delta.user(three, "GENERAL"), at(month, 4, "09:00:00"));
        // one reissue after loss: +¥2,200 (the replacement is not a second token)
        String lostOne = OtpApi.newContract();
        String loser = delta.user(lostOne, "MASTER");
        String lost = tokenFor(loser, early);
        clock.fix(at(month, 10, "09:00:00"));
        delta.operatorPost("/operator/tokens/{s}/suspension", Map.of("reason", "LOST", "staffId", "clerk-7"), lost)
                .expectStatus().isOk();
        long shipment = ((Number) delta.operatorPost("/operator/reissues", Map.of("loginId", loser, "staffId", "clerk-7"))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("shipmentId"))
                .longValue();
        String replacement = delta.token(clock.instant().plus(Duration.ofDays(1000)));
        delta.operatorPost("/operator/shipments/{id}", Map.of("serial", replacement), shipment).expectStatus().isOk();
        activate(loser, replacement, at(month, 12, "09:00:00"));

        assertThat(total(month, single)).isZero();
        assertThat(contractIn(month, single).get("tokens")).isEqualTo(1);
        assertThat(total(month, three)).isEqualTo(220);
        assertThat(contractIn(month, three).get("tokens")).isEqualTo(3);
        assertThat(contractIn(month, three).get("lines")).asList().singleElement().satisfies(line ->
                assertThat((Map<String, Object>) line).containsEntry("kind", "MONTHLY_TOKEN")
                        .containsEntry("quantity", 2).containsEntry("unitPrice", 110).containsEntry("amount", 220));
        assertThat(total(month, lostOne)).isEqualTo(2200);
        assertThat(contractIn(month, lostOne).get("tokens")).isEqualTo(1);
        assertThat(statement(month).get("status")).isEqualTo("OPEN");
    }

    @Test
    void theMonthEndsAtMidnightInTokyo() {
        String lastSecond = OtpApi.newContract();
        String u = delta.user(lastSecond, "MASTER");
        tokenFor(u, at(month, 1, "09:00:00"));
        tokenFor(delta.user(lastSecond, "GENERAL"), at(month, month.lengthOfMonth(), "23:59:59"));
        String nextMonth = OtpApi.newContract();
        tokenFor(delta.user(nextMonth, "MASTER"), at(month, 1, "09:00:00"));
        tokenFor(delta.user(nextMonth, "GENERAL"), at(month.plusMonths(1), 1, "00:00:00"));

        assertThat(total(month, lastSecond)).isEqualTo(110);
        assertThat(total(month, nextMonth)).isZero();
        assertThat(total(month.plusMonths(1), nextMonth)).isEqualTo(110);
    }

    @Test
    void aMonthIsClosedOnceAndAClosedMonthNeverChangesLaterChangesAreTheNextMonthsAdjustment() {
        String c = OtpApi.newContract();
        tokenFor(delta.user(c, "MASTER"), at(month, 1, "09:00:00"));
        tokenFor(delta.user(c, "GENERAL"), at(month, 2, "09:00:00"));
        clock.fix(at(month, 20, "12:00:00"));
        double closedBefore = meters.counter("otp.billing.statements.closed", "tenant", DELTA).count();

        // Eight parallel closings: one statement, one audit event, the same answer for all.
        List<Map<String, Object>> answers = new ArrayList<>();
        for (var r : Parallel.requests(8, i -> delta.operatorPost("/operator/billing/{m}/closing",
                Map.of("staffId", "clerk-7"), month.toString()))) {
            assertThat(r.getStatus().value()).isEqualTo(200);
            answers.add(r.getResponseBody());
        }
        assertThat(answers).extracting(a -> a.get("closedAt")).containsOnly(answers.get(0).get("closedAt"));
        assertThat(answers).extracting(a -> a.get("status")).containsOnly("CLOSED");
        assertThat(count("SELECT count(*) FROM billing_statements WHERE tenant_id = 'it-delta' AND month = :m")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> count("SELECT count(*) FROM audit_events WHERE tenant_id = "
                + "'it-delta' AND operation = 'BILLING_CLOSING' AND outcome = 'CLOSED_' || :m AND staff_id = 'clerk-7'") == 1);
        assertThat(total(month, c)).isEqualTo(110);
        assertThat(meters.counter("otp.billing.statements.closed", "tenant", DELTA).count()).isEqualTo(closedBefore + 1);
        assertThat(meters.counter("otp.billing.closed.amount", "tenant", DELTA, "month", month.toString()).count())
                .isEqualTo(((Number) answers.get(0).get("total")).doubleValue());

        // A third token activated after the early closing: the closed month stays as it was ...
        tokenFor(delta.user(c, "GENERAL"), at(month, 25, "09:00:00"));
        clock.fix(at(month, 26, "09:00:00"));
        assertThat(close(month).get("closedAt")).isEqualTo(answers.get(0).get("closedAt")); // a rerun changes nothing
        assertThat(total(month, c)).isEqualTo(110);
        assertThat(statement(month).get("status")).isEqualTo("CLOSED");
        // ... and the next month bills it as an adjustment, besides its own two extra tokens.
        Map<String, Object> next = contractIn(month.plusMonths(1), c);
        assertThat(next.get("total")).isEqualTo(220 + 110);
        assertThat(next.get("lines")).asList().anySatisfy(line -> assertThat((Map<String, Object>) line)
                .containsEntry("kind", "ADJUSTMENT").containsEntry("adjusts", month.toString())
                .containsEntry("amount", 110));

        // The record itself refuses to change.
        assertThatThrownBy(() -> db.sql("UPDATE billing_statements SET total = 0 WHERE tenant_id = 'it-delta' AND month = :m")
                .bind("m", month.toString()).then().block()).hasMessageContaining("never changed");
    }

    @Test
    void aMonthThatHasNotBegunCannotBeClosed() {
        clock.fix(at(month, 15, "12:00:00"));
        delta.operatorPost("/operator/billing/{m}/closing", Map.of("staffId", "clerk-7"), month.plusMonths(1).toString())
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("month");
        delta.operatorPost("/operator/billing/{m}/closing", Map.of(), month.toString()).expectStatus().isBadRequest();
        delta.operatorGet("/operator/billing/2026-13").expectStatus().isBadRequest();
        delta.portalGet("/operator/billing/{m}", month.toString()).expectStatus().isForbidden();
    }

    @Test
    void theMonthlyJobClosesThePreviousMonthOnTheBillingDayInTokyoOnce() {
        String c = OtpApi.newContract();
        tokenFor(delta.user(c, "MASTER"), at(month, 3, "09:00:00"));
        YearMonth next = month.plusMonths(1);
        clock.fix(at(next, 9, "23:59:59"));
        closing.closeDue().block();
        assertThat(statement(month).get("status")).isEqualTo("OPEN");
        clock.fix(at(next, 10, "00:00:00")); // delta's billingDay is the default, the 10th
        assertThat(closing.closeDue().block()).isGreaterThanOrEqualTo(1);
        assertThat(statement(month)).containsEntry("status", "CLOSED").containsEntry("closedAt",
                "%s-10T00:00:00+09:00".formatted(next));
        assertThat(closing.closeDue().block()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> count("SELECT count(*) FROM audit_events WHERE tenant_id = "
                + "'it-delta' AND operation = 'BILLING_CLOSING' AND outcome = 'CLOSED_' || :m AND staff_id IS NULL") == 1);
    }

    @Test
    void theCsvForTheDebitParsesAndSumsToTheStatementsTotal() {
        for (int i = 0; i < 3; i++) {
            String c = OtpApi.newContract();
            for (int t = 0; t <= i; t++) {
                tokenFor(delta.user(c, "GENERAL"), at(month, 1 + t, "09:00:00"));
            }
        }
        clock.fix(at(month, 28, "12:00:00"));
        for (boolean closed : List.of(false, true)) {
            if (closed) {
                close(month);
            }
            long jsonTotal = ((Number) statement(month).get("total")).longValue();
            byte[] csv = http.get().uri("/v1/tenants/{t}/operator/billing/{m}", DELTA, month.toString())
                    .headers(h -> h.setBearerAuth(DELTA_OPERATOR)).accept(MediaType.parseMediaType("text/csv"))
                    .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
            String text = new String(csv, StandardCharsets.UTF_8).replace("\uFEFF", "");
            long sum = 0;
            int rows = 0;
            try (MappingIterator<Map<String, String>> it = CsvMapper.builder().build().readerForMapOf(String.class)
                    .with(CsvSchema.emptySchema().withHeader()).readValues(text)) {
                while (it.hasNext()) {
                    Map<String, String> row = it.next();
                    assertThat(row.get("month")).isEqualTo(month.toString());
                    assertThat(row.get("status")).isEqualTo(closed ? "CLOSED" : "OPEN");
                    sum += Long.parseLong(row.get("amount_yen"));
                    rows++;
                }
            }
            assertThat(rows).isEqualTo(((Number) statement(month).get("contractCount")).intValue()).isGreaterThanOrEqualTo(3);
            assertThat(sum).isEqualTo(jsonTotal).isGreaterThanOrEqualTo(110 + 220);
        }
    }

    @Test
    void theBranchRecordsTheDebitAccountWhichTheCsvCarriesAndNoLogShows(CapturedOutput output) {
        String c = OtpApi.newContract();
        tokenFor(delta.user(c, "MASTER"), at(month, 1, "09:00:00"));
        tokenFor(delta.user(c, "GENERAL"), at(month, 2, "09:00:00"));
        String account = "00" + ThreadLocalRandom.current().nextInt(10000, 99999);
        http.put().uri("/v1/tenants/{t}/operator/contracts/{c}/debit-account", DELTA, c)
                .headers(h -> h.setBearerAuth(DELTA_OPERATOR)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("branchCode", "012", "accountType", "ORDINARY", "accountNumber", account,
                        "staffId", "clerk-7"))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.accountNumber").isEqualTo("****" + account.substring(4))
                .jsonPath("$.branchCode").isEqualTo("012");
        http.put().uri("/v1/tenants/{t}/operator/contracts/{c}/debit-account", DELTA, "no-such-" + c)
                .headers(h -> h.setBearerAuth(DELTA_OPERATOR)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("branchCode", "012", "accountType", "ORDINARY", "accountNumber", account,
                        "staffId", "clerk-7"))
                .exchange().expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("CONTRACT_NOT_FOUND");
        http.put().uri("/v1/tenants/{t}/operator/contracts/{c}/debit-account", DELTA, c)
                .headers(h -> h.setBearerAuth(DELTA_OPERATOR)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("branchCode", "12", "accountType", "SAVINGS", "accountNumber", "12-34", "staffId", "clerk-7"))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.errors.length()").isEqualTo(3);

        clock.fix(at(month, 20, "12:00:00"));
        byte[] csv = http.get().uri("/v1/tenants/{t}/operator/billing/{m}", DELTA, month.toString())
                .headers(h -> h.setBearerAuth(DELTA_OPERATOR)).accept(MediaType.parseMediaType("text/csv"))
                .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        String text = new String(csv, StandardCharsets.UTF_8);
        assertThat(text).contains("\"" + c + "\",2,110,0,0,110,\"OPEN\",\"012\",\"ORDINARY\",\"" + account + "\"");
        await().atMost(Duration.ofSeconds(5)).until(() -> db.sql("SELECT count(*) FROM audit_events WHERE tenant_id = "
                + "'it-delta' AND operation = 'DEBIT_ACCOUNT' AND contract_id = :c AND staff_id = 'clerk-7'")
                .bind("c", c).map(row -> row.get(0, Long.class)).one().block() == 1);
        assertThat(output.getAll()).doesNotContain(account);
    }

    long count(String sql) {
        return db.sql(sql).bind("m", month.toString()).map(row -> row.get(0, Long.class)).one().block();
    }
}
