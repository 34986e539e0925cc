package jp.otpgateway.gateway.branch;

import static jp.otpgateway.gateway.support.IntegrationTest.DELTA;
import static jp.otpgateway.gateway.support.IntegrationTest.DELTA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.DELTA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import jp.otpgateway.gateway.branch.adapter.persistence.R2dbcBranchLookups;
import jp.otpgateway.gateway.branch.domain.TokenStock;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.OwnSession;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The branch's token lists (GET …/operator/tokens?state=): paged by serial so that tokens arriving
 * while a clerk pages are never shown twice and never push an existing one out; each item is what
 * its list says (the SQL predicate against TokenStock.Listing); and each list is an index scan on
 * its own partial index right after a bulk load, without statistics.
 */
@IntegrationTest
class TokenListsIT extends TwoTenantsTest {

    OtpApi delta;

    @Autowired
    OwnSession session;

    @BeforeEach
    void deltaTenant() {
        delta = new OtpApi(http, DELTA, DELTA_PORTAL, DELTA_OPERATOR, clock);
    }

    /** Imports {@code n} new tokens in one delivery file; answers their serials. */
    List<String> importTokens(int n) {
        List<String> serials = new ArrayList<>();
        StringBuilder csv = new StringBuilder("serial,seed_hex,expires_at\n");
        String expiry = OffsetDateTime.ofInstant(clock.instant().plus(Duration.ofDays(1000)), ZoneOffset.ofHours(9))
                .withNano(0).toString();
        for (int i = 0; i < n; i++) {
            String serial = Long.toString(ThreadLocalRandom.current().nextLong(100_000_000_000L, 1_000_000_000_000L));
            serials.add(serial);
            csv.append(serial).append(',').append(OtpApi.SEED_HEX).append(',').append(expiry).append('\n');
        }
        http.post().uri("/v1/tenants/{t}/operator/hardware-tokens", DELTA)
                .headers(h -> h.setBearerAuth(DELTA_OPERATOR)).contentType(MediaType.parseMediaType("text/csv"))
                .bodyValue(csv.toString()).exchange().expectStatus().isOk();
        return serials;
    }

    record Page(List<Map<String, Object>> items, String next) {
    }

    @SuppressWarnings("unchecked")
    Page page(String state, String cursor, int limit) {
        String uri = "/operator/tokens?state=" + state + "&limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor);
        Map<String, Object> body = delta.operatorGet(uri).expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody();
        return new Page((List<Map<String, Object>>) body.get("items"), (String) body.get("nextCursor"));
    }

    /** Every item of every page, in order, while {@code between} runs after each page. */
    List<Map<String, Object>> all(String state, int limit, Runnable between) {
        List<Map<String, Object>> items = new ArrayList<>();
        String cursor = null;
        do {
            Page p = page(state, cursor, limit);
            assertThat(p.items().size()).isLessThanOrEqualTo(limit);
            items.addAll(p.items());
            cursor = p.next();
            between.run();
        } while (cursor != null);
        return items;
    }

    @Test
    void pagingWhileTokensArriveShowsNoneTwiceAndLosesNone() {
        List<String> before = importTokens(40);
        List<CompletableFuture<List<String>>> arriving = new ArrayList<>();
        List<Map<String, Object>> seen = all("IN_STOCK", 9,
                () -> arriving.add(CompletableFuture.supplyAsync(() -> importTokens(5))));
        List<String> serials = seen.stream().map(i -> (String) i.get("serial")).toList();
        assertThat(new HashSet<>(serials)).as("no token twice").hasSameSizeAs(serials);
        assertThat(serials).as("in serial order").isSorted();
        assertThat(serials).as("none that existed is lost").containsAll(before);
        assertThat(seen).allSatisfy(item -> assertThat(item.get("state")).isEqualTo("IN_STOCK"));
        arriving.forEach(CompletableFuture::join);
        // A second pass sees every token that arrived meanwhile.
        Set<String> later = new HashSet<>(all("IN_STOCK", 200, () -> { }).stream()
                .map(i -> (String) i.get("serial")).toList());
        arriving.forEach(f -> assertThat(later).containsAll(f.join()));
    }

    @Test
    void theLockedAndTheSuspendedListsHoldWhatTheySay() {
        String locked = delta.activeUser();
        for (int i = 0; i < 5; i++) {
            delta.verify(locked, delta.wrongCode()).expectStatus().isEqualTo(422);
        }
        String lockedSerial = (String) delta.operatorGet("/operator/users/{l}", locked).expectBody(Map.class)
                .returnResult().getResponseBody().get("serial");
        String lost = delta.activeUser();
        String lostSerial = (String) delta.operatorGet("/operator/users/{l}", lost).expectBody(Map.class)
                .returnResult().getResponseBody().get("serial");
        delta.operatorPost("/operator/tokens/{s}/suspension", Map.of("reason", "LOST", "staffId", "clerk-1"), lostSerial)
                .expectStatus().isOk();

        List<Map<String, Object>> lockedList = all("LOCKED", 50, () -> { });
        assertThat(lockedList).extracting(i -> i.get("serial")).contains(lockedSerial).doesNotContain(lostSerial);
        assertThat(lockedList).allSatisfy(i -> {
            assertThat(i.get("locked")).isEqualTo(true);
            assertThat(i.get("state")).isNotIn("RETIRED", "SUSPENDED");
        });
        List<Map<String, Object>> suspendedList = all("SUSPENDED", 50, () -> { });
        assertThat(suspendedList).extracting(i -> i.get("serial")).contains(lostSerial).doesNotContain(lockedSerial);
        assertThat(suspendedList).allSatisfy(i -> assertThat(i.get("state")).isEqualTo("SUSPENDED"));
        assertThat(all("IN_STOCK", 200, () -> { })).extracting(i -> i.get("serial"))
                .doesNotContain(lockedSerial, lostSerial);
    }

    /**
     * Temporary copies of the tables in this test's own session (never the gateway's pool), loaded as a
     * bulk load leaves them: 100,000 tokens in use, a few in stock, locked and suspended, no ANALYZE.
     */
    @Test
    void eachListIsAnIndexScanOnItsOwnPartialIndexWithoutStatistics() {
        Map<TokenStock.Listing, String> predicates = Map.of(
                TokenStock.Listing.IN_STOCK, "((contract_id IS NULL) AND (retired_at IS NULL))",
                TokenStock.Listing.LOCKED, "(locked AND (retired_at IS NULL))",
                TokenStock.Listing.SUSPENDED, "(suspended_at IS NOT NULL)");
        for (TokenStock.Listing listing : TokenStock.Listing.values()) {
            List<String> plan = session.withTempCopies(c -> Flux.concat(
                    OwnSession.run(c, "INSERT INTO tokens (tenant_id, serial, kind, seed_sealed, algorithm, digits,"
                            + " period_seconds, expires_at, imported_at, contract_id, locked, retired_at, suspended_at,"
                            + " suspension_reason) SELECT 't-plan', lpad(g::text, 12, '0'), 'HARDWARE', '\\x00', 'SHA1', 8, 60,"
                            + " now() + interval '3 years', now(), CASE WHEN g % 1000 = 0 THEN NULL ELSE 'c' || g END,"
                            + " g % 1000 = 7, CASE WHEN g % 1000 = 9 THEN now() END, CASE WHEN g % 1000 = 9 THEN now() END,"
                            + " CASE WHEN g % 1000 = 9 THEN 'LOST' END FROM generate_series(1, 100000) g").then(Mono.<String>empty()),
                    OwnSession.lines(c, "SELECT 'index ' || indexname FROM pg_indexes "
                            + "WHERE schemaname LIKE 'pg_temp%' AND tablename = 'tokens' "
                            + "AND indexdef LIKE '%(tenant_id, serial) WHERE " + predicates.get(listing) + "'"),
                    OwnSession.lines(c, "EXPLAIN " + R2dbcBranchLookups.listQuery(listing, true)
                            .replace(":tenant", "'t-plan'").replace(":after", "'000000000500'").replace(":limit", "51"))));
            assertThat(plan.get(0)).as(listing + " has its index").startsWith("index ");
            String own = plan.get(0).substring("index ".length());
            String lines = String.join("\n", plan.subList(1, plan.size()));
            assertThat(lines).as("%s:%n%s", listing, lines).containsPattern("Index Scan using " + own + " on tokens t\\b");
        }
    }
}
