package jp.otpgateway.gateway.custody;

import static jp.otpgateway.gateway.support.IntegrationTest.ETA;
import static jp.otpgateway.gateway.support.IntegrationTest.ETA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.ETA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import jp.otpgateway.gateway.custody.application.port.ResealJobs;
import jp.otpgateway.gateway.custody.application.port.ResealJobs.Resealed;
import jp.otpgateway.gateway.custody.application.port.ResealJobs.Sealed;
import jp.otpgateway.gateway.custody.application.port.SeedVault;
import jp.otpgateway.gateway.custody.domain.KeyRing;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.Parallel;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * A tenant's data keys rotated through the API in it-eta, against PostgreSQL, Redis and the KEK in
 * SoftHSM2: the new key seals only after the propagation time, every seed is re-sealed to it in the
 * background while the users go on verifying in parallel, the old key can be removed only once no
 * seed uses it, and a re-seal interrupted by a crash goes on after its last batch.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class DataKeyRotationIT extends TwoTenantsTest {

    static final String KEYS = "/operator/data-keys";

    @Autowired
    DatabaseClient db;

    @Autowired
    ResealJobs jobs;

    @Autowired
    SeedVault vault;

    OtpApi eta;

    static Instant next = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MINUTES);

    @AfterEach
    void later() {
        next = clock.instant().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
    }

    @BeforeEach
    void eta() {
        eta = new OtpApi(http, ETA, ETA_PORTAL, ETA_OPERATOR, clock);
        // Each test after the last one's time: a key made then must not seal in this test's future.
        clock.fix(next);
        // A rotation left pending by the other test is finished first: one at a time per tenant.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            clock.advance(Duration.ofSeconds(3));
            Object reseal = listing().get("reseal");
            return reseal == null || Boolean.TRUE.equals(((Map<?, ?>) reseal).get("finished"));
        });
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> listing() {
        return eta.operatorGet(KEYS).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> keys() {
        return (List<Map<String, Object>>) listing().get("keys");
    }

    long primaryKey() {
        return keys().stream().filter(k -> Boolean.TRUE.equals(k.get("primary")))
                .map(k -> ((Number) k.get("keyId")).longValue()).findFirst().orElseThrow();
    }

    long sealedWith(long keyId) {
        return keys().stream().filter(k -> ((Number) k.get("keyId")).longValue() == keyId)
                .map(k -> ((Number) k.get("sealed")).longValue()).findFirst().orElse(0L);
    }

    long seedsOfEtaUnder(long keyId) {
        return db.sql("SELECT count(*) AS n FROM tokens WHERE tenant_id = :t AND encode(substring(seed_sealed FROM 1 FOR 5), 'hex') = :p")
                .bind("t", ETA).bind("p", KeyRing.prefixHex(keyId)).map(row -> row.get("n", Long.class)).one().block();
    }

    long rotate() {
        @SuppressWarnings("unchecked")
        Map<String, Object> rotated = eta.operatorPost(KEYS, Map.of("staffId", "clerk-rotate"))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(rotated.get("primary")).isEqualTo(false);
        return ((Number) rotated.get("keyId")).longValue();
    }

    @Test
    void everySeedIsResealedWhileUsersVerifyAndTheOldKeyGoesOnlyOnceUnused() {
        List<String> users = eta.activatedUsers(12);
        for (int i = 0; i < 20; i++) {
            eta.token(); // in stock: re-sealed too
        }
        long old = primaryKey();
        long total = sealedWith(old);
        assertThat(total).isGreaterThanOrEqualTo(32);
        assertThat(seedsOfEtaUnder(old)).isEqualTo(total); // the SQL prefix is the Java one

        // The portal's key, or another tenant's operator, gets nowhere near the keys.
        http.post().uri("/v1/tenants/{t}" + KEYS, ETA).headers(h -> h.setBearerAuth(ETA_PORTAL))
                .bodyValue(Map.of("staffId", "x")).exchange().expectStatus().isForbidden();
        http.get().uri("/v1/tenants/{t}" + KEYS, ETA).headers(h -> h.setBearerAuth(IntegrationTest.ALPHA_OPERATOR))
                .exchange().expectStatus().isNotFound();
        long rotated = rotate();
        eta.operatorPost(KEYS, Map.of("staffId", "clerk-rotate")).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("ROTATION_PENDING");
        // Before the propagation time the old key still seals: neither key may go.
        eta.delete(KEYS + "/{id}?staffId=clerk-rotate", old).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("DATA_KEY_PRIMARY");
        eta.delete(KEYS + "/{id}?staffId=clerk-rotate", rotated).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("DATA_KEY_PRIMARY");

        clock.advance(Duration.ofSeconds(3)); // the rotated key seals from now on; its re-seal may start
        int rounds = 0;
        do {
            clock.advance(Duration.ofSeconds(60));
            String code = eta.code();
            var answers = Parallel.requests(users.size(), i -> eta.verify(users.get(i), code));
            assertThat(answers).allSatisfy(a -> assertThat(a.getStatus().value()).isEqualTo(200));
            rounds++;
        } while ((seedsOfEtaUnder(old) > 0 || rounds < 2) && rounds < 60);
        assertThat(seedsOfEtaUnder(old)).isZero();

        await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(((Map<?, ?>) listing().get("reseal")).get("finished")));
        Map<String, Object> after = listing();
        assertThat(((Number) ((Map<?, ?>) after.get("reseal")).get("resealed")).longValue()).isEqualTo(total);
        assertThat(sealedWith(old)).isZero();
        assertThat(sealedWith(rotated)).isEqualTo(total);
        assertThat(primaryKey()).isEqualTo(rotated);

        eta.delete(KEYS + "/{id}?staffId=clerk-rotate", old).expectStatus().isNoContent();
        eta.delete(KEYS + "/{id}?staffId=clerk-rotate", old).expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("DATA_KEY_NOT_FOUND");
        assertThat(keys()).extracting(k -> ((Number) k.get("keyId")).longValue()).containsExactly(rotated);

        // Every instance emptied its cache when the key went: each user's seed is read again, under the new key.
        clock.advance(Duration.ofSeconds(60));
        String code = eta.code();
        for (String user : users) {
            eta.verify(user, code).expectStatus().isOk();
        }
        String fresh = eta.token();
        assertThat(db.sql("SELECT encode(substring(seed_sealed FROM 1 FOR 5), 'hex') AS p FROM tokens WHERE tenant_id = :t AND serial = :s")
                .bind("t", ETA).bind("s", fresh).map(row -> row.get("p", String.class)).one().block())
                .isEqualTo(KeyRing.prefixHex(rotated));

        List<String> audited = db.sql("""
                        SELECT outcome || ' ' || staff_id || ' ' || subject AS e FROM audit_events
                         WHERE tenant_id = :t AND operation = 'DATA_KEY' ORDER BY event_id""")
                .bind("t", ETA).map(row -> row.get("e", String.class)).all().collectList().block();
        // the clerk and the key (its ID; never its material)
        assertThat(audited).contains("ROTATED clerk-rotate " + rotated, "REMOVED clerk-rotate " + old);
        assertThat(db.sql("SELECT created_by FROM data_keys WHERE tenant_id = :t AND key_id = :k").bind("t", ETA)
                .bind("k", rotated).map(row -> row.get("created_by", String.class)).one().block()).isEqualTo("clerk-rotate");
    }

    @Test
    void aResealInterruptedByACrashGoesOnAfterItsLastBatchAndAStolenLeaseWritesNothing(CapturedOutput output) {
        for (int i = 0; i < 25; i++) {
            eta.token();
        }
        long old = primaryKey();
        long rotated = rotate();
        // The instance that takes the job first: it will write two batches of 7, then die.
        Instant leaseUntil = clock.instant().plus(Duration.ofMinutes(5));
        db.sql("UPDATE reseal_jobs SET lease_owner = 'crashed', lease_until = :u WHERE tenant_id = :t")
                .bind("u", leaseUntil).bind("t", ETA).fetch().rowsUpdated().block();
        clock.advance(Duration.ofSeconds(3));
        String after = "";
        List<Resealed> written = new ArrayList<>();
        for (int batch = 0; batch < 2; batch++) {
            List<Sealed> read = jobs.seedsNotUnder(ETA, KeyRing.prefixHex(rotated), after, 7).collectList().block();
            assertThat(read).hasSize(7);
            List<Resealed> resealed = read.stream()
                    .map(s -> new Resealed(s.subject(), s.sealed(), vault.reseal(ETA, s.subject(), s.sealed(), rotated))).toList();
            after = read.get(6).subject();
            assertThat(jobs.write(ETA, resealed, List.of(), after, "crashed", leaseUntil).block()).isTrue();
            written.addAll(resealed);
        }
        // An instance without the lease writes nothing, not even its batch.
        Sealed next = jobs.seedsNotUnder(ETA, KeyRing.prefixHex(rotated), after, 1).blockFirst();
        assertThat(jobs.write(ETA, List.of(new Resealed(next.subject(), next.sealed(),
                vault.reseal(ETA, next.subject(), next.sealed(), rotated))), List.of(), "~", "intruder", leaseUntil).block()).isFalse();
        assertThat(seedOf(next.subject())).isEqualTo(next.sealed());

        // The crashed instance's lease runs out; another instance takes the job over.
        clock.advance(Duration.ofMinutes(6));
        await().atMost(Duration.ofSeconds(20)).until(() -> seedsOfEtaUnder(old) == 0
                && Boolean.TRUE.equals(((Map<?, ?>) listing().get("reseal")).get("finished")));
        String cursor = after;
        assertThat(output.getOut()).contains("resuming after serial '" + cursor + "', 14 done before");
        // What was written before the crash was not re-sealed again.
        for (Resealed r : written) {
            assertThat(HexFormat.of().formatHex(seedOf(r.subject()))).isEqualTo(HexFormat.of().formatHex(r.after()));
        }
        assertThat(((Number) ((Map<?, ?>) listing().get("reseal")).get("resealed")).longValue())
                .isEqualTo(sealedWith(rotated));
    }

    byte[] seedOf(String serial) {
        return db.sql("SELECT seed_sealed FROM tokens WHERE tenant_id = :t AND serial = :s").bind("t", ETA).bind("s", serial)
                .map(row -> row.get("seed_sealed", byte[].class)).one().block();
    }
}
