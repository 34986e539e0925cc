package jp.otpgateway.gateway.verification;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jp.otpgateway.gateway.verification.adapter.cache.InMemoryActiveTokenCache;
import jp.otpgateway.gateway.verification.adapter.cache.PostgresTokenChanges;
import jp.otpgateway.gateway.shared.adapter.redis.GuardConnection;
import jp.otpgateway.gateway.verification.domain.TokenRecord;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.Parallel;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * Hot path step 2 from memory: the users' active tokens are kept on the instance and forgotten when
 * the database announces a change, whoever made it; and where an announcement comes late or never,
 * the write-time holder check, the LOCKED re-check and the guard's NEED_STATE keep every answer the
 * one the database would give.
 */
@IntegrationTest
class ActiveTokenCacheIT extends TwoTenantsTest {

    @Autowired
    InMemoryActiveTokenCache cache;

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry meters;

    @Autowired
    GuardConnection redis;

    @Autowired
    PostgresTokenChanges announcements;

    double rechecks(String reason) {
        Counter counter = meters.find("otp.active-tokens.rechecks").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    double hits() {
        return hits(meters);
    }

    /** The cache's hits so far (also ActiveTokenPreloadIT). */
    static double hits(MeterRegistry meters) {
        return meters.get("cache.gets").tag("cache", "otp.active-tokens").tag("result", "hit").functionCounter().count();
    }

    /** A user who verified once, so that the gateway keeps the token; the clock is past that step. */
    String verifiedUser() {
        String login = alpha.activeUser();
        alpha.verify(login, alpha.code()).expectStatus().isOk();
        clock.advance(Duration.ofSeconds(60));
        return login;
    }

    void endAssignmentInTheDatabase(String login) {
        endAssignmentInTheDatabase(db, login);
    }

    /** The user's ACTIVE assignment ended behind the gateway's back, as by a DBA (also ActiveTokenPreloadIT). */
    static void endAssignmentInTheDatabase(DatabaseClient db, String login) {
        long ended = db.sql("UPDATE assignments SET state = 'ENDED', ended_at = now()"
                        + " WHERE tenant_id = :t AND login_id = :l AND state = 'ACTIVE'")
                .bind("t", ALPHA).bind("l", login).fetch().rowsUpdated().block();
        assertThat(ended).isEqualTo(1);
    }

    List<String> loginOutcomes(String login) {
        return db.sql("SELECT outcome FROM audit_events WHERE tenant_id = :t AND login_id = :l AND operation = 'LOGIN'"
                        + " ORDER BY event_id")
                .bind("t", ALPHA).bind("l", login).map(row -> row.get("outcome", String.class)).all().collectList()
                .block();
    }

    @Test
    void aVerifyingUsersTokenIsServedFromMemory() {
        String login = verifiedUser();
        assertThat(cache.get(ALPHA, login)).isPresent();
        double before = hits();
        alpha.verify(login, alpha.code()).expectStatus().isOk();
        assertThat(hits()).isGreaterThan(before);
        assertThat(loginOutcomes(login)).containsExactly("ACCEPTED", "ACCEPTED");
    }

    @Test
    void onAKeptTokenParallelWrongCodesCountExactlyNAndOneValidCodeIsAcceptedOnce() {
        String login = verifiedUser();
        assertThat(cache.get(ALPHA, login)).isPresent();
        String code = alpha.code();
        List<EntityExchangeResult<Map>> same = Parallel.requests(20, i -> alpha.verify(login, code));
        assertThat(Parallel.count(same, 200)).isEqualTo(1);
        assertThat(Parallel.count(same, 422)).isEqualTo(5); // replays count as failures (R1, R7)
        assertThat(Parallel.count(same, 423)).isEqualTo(14);

        String other = verifiedUser();
        String wrong = alpha.wrongCode();
        List<EntityExchangeResult<Map>> results = Parallel.requests(60, i -> alpha.verify(other, wrong));
        assertThat(Parallel.count(results, 422)).isEqualTo(5);
        assertThat(Parallel.count(results, 423)).isEqualTo(55);
        // The driver answers when PostgreSQL reports the statement complete; the statement's implicit
        // commit completes just after, so another connection may see the last rows a moment later.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(loginOutcomes(other).stream().filter("LOCKED"::equals).count()).isEqualTo(55));
    }

    @Test
    void aChangeMadeInTheDatabaseByAnyoneIsForgotten() {
        String login = verifiedUser();
        endAssignmentInTheDatabase(login);
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.get(ALPHA, login).isEmpty());
        alpha.verify(login, alpha.code()).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("OTP_NOT_ACTIVE");
    }

    @Test
    void anEntryThatMissedItsAnnouncementAcceptsNothing() {
        String login = verifiedUser();
        TokenRecord kept = cache.get(ALPHA, login).orElseThrow();
        endAssignmentInTheDatabase(login);
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.get(ALPHA, login).isEmpty());
        cache.put(ALPHA, login, kept, cache.ticket()); // as if the announcement had never come
        double stale = rechecks("stale");

        alpha.verify(login, alpha.code()).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("OTP_NOT_ACTIVE");

        assertThat(rechecks("stale")).isEqualTo(stale + 1);
        assertThat(loginOutcomes(login)).containsExactly("ACCEPTED");
        Long step = db.sql("SELECT last_used_step FROM tokens WHERE tenant_id = :t AND serial = :s")
                .bind("t", ALPHA).bind("s", kept.serial()).map(row -> row.get("last_used_step", Long.class)).one()
                .block();
        assertThat(step).isEqualTo(clock.instant().getEpochSecond() / 60 - 1);
    }

    @Test
    void inOneBatchOnlyTheStaleEntriesAreRefusedAndTheOthersAccepted() {
        List<String> logins = alpha.activatedUsers(24);
        clock.advance(Duration.ofSeconds(60));
        String code = alpha.code();
        assertThat(Parallel.count(Parallel.requests(24, i -> alpha.verify(logins.get(i), code)), 200)).isEqualTo(24);
        List<String> ended = logins.subList(0, 12);
        Map<String, TokenRecord> kept = new HashMap<>();
        ended.forEach(login -> kept.put(login, cache.get(ALPHA, login).orElseThrow()));
        ended.forEach(this::endAssignmentInTheDatabase);
        await().atMost(Duration.ofSeconds(5)).until(() -> ended.stream().allMatch(l -> cache.get(ALPHA, l).isEmpty()));
        kept.forEach((login, token) -> cache.put(ALPHA, login, token, cache.ticket()));

        clock.advance(Duration.ofSeconds(60));
        String next = alpha.code();
        List<EntityExchangeResult<Map>> results = Parallel.requests(24, i -> alpha.verify(logins.get(i), next));
        for (int i = 0; i < 24; i++) {
            assertThat(results.get(i).getStatus().value()).as(logins.get(i)).isEqualTo(i < 12 ? 409 : 200);
            assertThat(loginOutcomes(logins.get(i))).as(logins.get(i))
                    .containsExactlyElementsOf(i < 12 ? List.of("ACCEPTED") : List.of("ACCEPTED", "ACCEPTED"));
        }
    }

    @Test
    void anUnlockWorksAtOnceEvenBeforeItsAnnouncementArrives() {
        String login = verifiedUser();
        for (int i = 0; i < 5; i++) {
            alpha.verify(login, alpha.wrongCode()).expectStatus().isEqualTo(422);
        }
        alpha.verify(login, alpha.code()).expectStatus().isEqualTo(423);
        TokenRecord beforeUnlock = cache.get(ALPHA, login).orElseThrow();

        alpha.operatorPost("/operator/unlocks", Map.of("loginIds", List.of(login), "staffId", "clerk-01")).expectStatus().isOk();
        await().atMost(Duration.ofSeconds(5)).until(() -> cache.get(ALPHA, login).isEmpty());
        cache.put(ALPHA, login, beforeUnlock, cache.ticket()); // the announcement still on its way
        double locked = rechecks("locked");

        alpha.verify(login, alpha.code()).expectStatus().isOk();
        assertThat(rechecks("locked")).isEqualTo(locked + 1);
    }

    @Test
    void afterRedisLostItsStateTheDurableFailureCountIsReadAgain() {
        String login = verifiedUser();
        for (int i = 0; i < 3; i++) {
            alpha.verify(login, alpha.wrongCode()).expectStatus().isEqualTo(422);
        }
        assertThat(cache.get(ALPHA, login)).isPresent();
        redis.get().flatMap(c -> c.flushdb()).block(Duration.ofSeconds(5)); // the tests' own Redis database
        double needState = rechecks("need_state");

        alpha.verify(login, alpha.wrongCode()).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.remainingAttempts").isEqualTo(1);
        assertThat(rechecks("need_state")).isEqualTo(needState + 1);
    }

    @Test
    void whileTheAnnouncementsAreLostNothingIsKeptAndListeningResumes() {
        String login = verifiedUser();
        Integer listener = listenerPid();
        assertThat(listener).isNotNull();
        db.sql("SELECT pg_terminate_backend(:pid)").bind("pid", listener).fetch().rowsUpdated().block();

        // The entry is gone with the connection, verifications go on meanwhile, and a new connection listens.
        await().atMost(Duration.ofSeconds(15)).until(() -> cache.get(ALPHA, login).isEmpty());
        alpha.verify(login, alpha.code()).expectStatus().isOk();
        await().atMost(Duration.ofSeconds(15)).until(() -> cache.isListening() && listenerPid() != null
                && !listener.equals(listenerPid()));
        clock.advance(Duration.ofSeconds(60));
        alpha.verify(login, alpha.code()).expectStatus().isOk();
        assertThat(cache.get(ALPHA, login)).isPresent();
        http.get().uri("/actuator/health").exchange().expectBody()
                .jsonPath("$.components.activeTokenCache.status").isEqualTo("UP")
                .jsonPath("$.components.activeTokenCache.details.listening").isEqualTo(true);
    }

    /** The backend of this instance's announcement connection (other test contexts have their own). */
    Integer listenerPid() {
        // the instance's two announcement connections: the listening one ran only its LISTEN
        return db.sql("SELECT pid FROM pg_stat_activity WHERE application_name = :name AND query LIKE 'LISTEN%'")
                .bind("name", announcements.applicationName()).map(row -> row.get("pid", Integer.class)).one().block();
    }
}
