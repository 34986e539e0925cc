package jp.otpgateway.gateway.verification;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import jp.otpgateway.gateway.verification.adapter.cache.ActiveTokenPreloader;
import jp.otpgateway.gateway.verification.adapter.cache.InMemoryActiveTokenCache;
import jp.otpgateway.gateway.verification.application.PreloadingActiveTokens;
import jp.otpgateway.gateway.verification.application.PreloadingActiveTokens.Preloaded;
import jp.otpgateway.gateway.verification.application.port.ActiveTokens;
import jp.otpgateway.gateway.verification.domain.TokenRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The preload of the active-token cache (issue #16: a user's first login of the day from memory),
 * against the real PostgreSQL and its change announcements: every active token of a tenant is kept
 * page by page, nothing else; it stops at its capacity; a change announced while a page is read is
 * not outlived by that page; and a restart of listening (the cache begins empty) loads it again.
 */
@IntegrationTest
class ActiveTokenPreloadIT extends TwoTenantsTest {

    @Autowired
    ActiveTokens tokens;

    @Autowired
    InMemoryActiveTokenCache cache;

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ActiveTokenPreloader contextsPreloader;

    PreloadingActiveTokens preloading(ActiveTokens source, long capacity) {
        return new PreloadingActiveTokens(source, cache, () -> List.of(ALPHA), capacity, 2, Clock.systemUTC());
    }

    /** The tenant's users with an ACTIVE token and their serials, in the database's login order. */
    List<List<String>> activeInTheDatabase() {
        return db.sql("SELECT login_id, serial FROM assignments WHERE tenant_id = :t AND state = 'ACTIVE'"
                        + " ORDER BY login_id")
                .bind("t", ALPHA).map(row -> List.of(row.get("login_id", String.class), row.get("serial", String.class)))
                .all().collectList().block();
    }

    void endAssignment(String login) {
        ActiveTokenCacheIT.endAssignmentInTheDatabase(db, login);
    }

    double hits() {
        return ActiveTokenCacheIT.hits(meters);
    }

    @Test
    void everyActiveTokenOfTheTenantIsKeptPageByPageAndNothingElse() {
        List<String> users = List.of(alpha.activeUser(), alpha.activeUser(), alpha.activeUser(), alpha.activeUser(),
                alpha.activeUser());
        String ended = alpha.activeUser();
        endAssignment(ended);
        await().until(() -> cache.isListening());
        cache.invalidateAll();
        List<List<String>> active = activeInTheDatabase();

        Preloaded done = preloading(tokens, 1_000_000).preload().block();

        assertThat(done.complete()).isTrue();
        assertThat(done.tokens()).isEqualTo(active.size());
        for (List<String> row : active) {
            assertThat(cache.get(ALPHA, row.get(0))).as(row.get(0)).map(TokenRecord::serial).contains(row.get(1));
        }
        assertThat(active.stream().map(row -> row.get(0))).containsAll(users).doesNotContain(ended);
        assertThat(cache.get(ALPHA, ended)).isEmpty();

        double before = hits();
        alpha.verify(users.get(0), alpha.code()).expectStatus().isOk();
        assertThat(hits()).as("the first verification since the preload is answered from memory")
                .isEqualTo(before + 1);
    }

    @Test
    void itStopsAtItsCapacityWithoutPushingOutWhatItLoaded() {
        alpha.activeUser();
        alpha.activeUser();
        alpha.activeUser();
        alpha.activeUser();
        await().until(() -> cache.isListening());
        cache.invalidateAll();
        List<List<String>> active = activeInTheDatabase();

        Preloaded done = preloading(tokens, 3).preload().block();

        assertThat(done.tokens()).isEqualTo(3);
        assertThat(done.complete()).isFalse();
        for (int i = 0; i < 3; i++) {
            assertThat(cache.get(ALPHA, active.get(i).get(0))).as(active.get(i).get(0)).isPresent();
        }
        assertThat(cache.get(ALPHA, active.get(3).get(0))).isEmpty();
    }

    /**
     * The first page is read, then one of its users loses the token and the database announces it
     * before the page is stored: the page is read again, so that user is not kept with the old token
     * and the others of the page are kept.
     */
    @Test
    void aChangeAnnouncedWhileAPageIsReadIsNotOutlivedByThatPage() {
        alpha.activeUser();
        alpha.activeUser();
        await().until(() -> cache.isListening());
        cache.invalidateAll();
        List<List<String>> active = activeInTheDatabase();
        String changed = active.get(0).get(0);
        String other = active.get(1).get(0);
        AtomicBoolean once = new AtomicBoolean();
        ActiveTokens changingMeanwhile = new DelegatingTokens(tokens) {
            @Override
            public Flux<Held> activeTokensAfter(String tenantId, String afterLogin, int limit) {
                Flux<Held> page = tokens.activeTokensAfter(tenantId, afterLogin, limit);
                if (!once.compareAndSet(false, true)) {
                    return page;
                }
                return page.collectList().publishOn(Schedulers.boundedElastic()).flatMapMany(rows -> {
                    long ticket = cache.ticket();
                    endAssignment(changed);
                    await().until(() -> cache.ticket() != ticket); // the announcement is heard
                    return Flux.fromIterable(rows);
                });
            }
        };

        Preloaded done = preloading(changingMeanwhile, 1_000_000).preload().block();

        assertThat(done.complete()).isTrue();
        assertThat(cache.get(ALPHA, changed)).as("the user whose token was taken meanwhile").isEmpty();
        assertThat(cache.get(ALPHA, other)).as("the other user of that page, read again").isPresent();
        assertThat(done.tokens()).isEqualTo(active.size() - 1);
    }

    /** otp.hot-path.preload: false (application-test.yml) leaves the context's own preloader unstarted. */
    @Test
    void theSettingTurnsThePreloaderOff() {
        assertThat(contextsPreloader.isRunning()).isFalse();
    }

    /** What happens after an outage of the announcements: listening starts again, the cache empty, and it is filled. */
    @Test
    void aRestartOfListeningLoadsTheCacheAgain() {
        String user = alpha.activeUser();
        await().until(() -> cache.isListening());
        ActiveTokenPreloader preloader = new ActiveTokenPreloader(preloading(tokens, 1_000_000), cache,
                Duration.ofHours(1), true, meters);
        preloader.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.get(ALPHA, user).isPresent());
            cache.listening(false); // as on a lost announcement connection: everything forgotten
            assertThat(cache.get(ALPHA, user)).isEmpty();
            // the instance's own heartbeat is heard again within otp.hot-path.invalidation-heartbeat
            await().atMost(Duration.ofSeconds(20)).until(() -> cache.isListening() && cache.get(ALPHA, user).isPresent());
        } finally {
            preloader.stop();
        }
    }

    /** The real port with one method changed by a test. */
    static class DelegatingTokens implements ActiveTokens {

        private final ActiveTokens real;

        DelegatingTokens(ActiveTokens real) {
            this.real = real;
        }

        @Override
        public Mono<TokenRecord> activeTokenOf(String tenantId, String loginId) {
            return real.activeTokenOf(tenantId, loginId);
        }

        @Override
        public Mono<Absence> absenceOf(String tenantId, String loginId) {
            return real.absenceOf(tenantId, loginId);
        }

        @Override
        public Mono<BySerial> bySerial(String tenantId, String serial) {
            return real.bySerial(tenantId, serial);
        }

        @Override
        public Flux<Held> activeTokensAfter(String tenantId, String afterLogin, int limit) {
            return real.activeTokensAfter(tenantId, afterLogin, limit);
        }
    }
}
