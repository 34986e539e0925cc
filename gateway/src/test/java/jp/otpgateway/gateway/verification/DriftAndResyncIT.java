package jp.otpgateway.gateway.verification;

import static jp.otpgateway.gateway.support.IntegrationTest.ZETA;
import static jp.otpgateway.gateway.support.IntegrationTest.ZETA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.ZETA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A token's clock drift and its resynchronisation (RFC 6238 §6) through the API against PostgreSQL
 * and Redis, in it-zeta (bound 3 steps, window 1, resync window 3, lock after 3): the window follows
 * a token running fast up to the bound and no further, a slow one on its third late code in a row
 * and never a user who is sometimes late; two fresh consecutive codes resynchronise, a
 * replayed, stale or identical pair never does (privacyIDEA's test_22_autosync), wrong pairs count
 * towards the lock; the branch resynchronises a held key-fob with its clerk in the audit.
 */
@IntegrationTest
class DriftAndResyncIT extends TwoTenantsTest {

    static final Duration STEP = Duration.ofSeconds(60);

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry meters;

    OtpApi zeta;
    Instant t0;

    @BeforeEach
    void zetaAtAMinute() {
        zeta = new OtpApi(http, ZETA, ZETA_PORTAL, ZETA_OPERATOR, clock);
        // a whole minute a day ahead: every step below is the test's own
        t0 = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MINUTES);
        clock.fix(t0);
    }

    /** A user whose token (the shared test seed) was activated at t0 with t0's code. */
    String[] activatedAtT0() {
        clock.fix(t0);
        String login = zeta.user(OtpApi.newContract(), "GENERAL");
        String serial = zeta.token();
        zeta.activated(login, serial);
        return new String[] {login, serial};
    }

    /** The gateway's clock at t0 + {@code minutes}. */
    void at(int minutes) {
        clock.fix(t0.plus(STEP.multipliedBy(minutes)));
    }

    /** What a token running {@code fast} steps ahead shows now. */
    String shownBy(int fast) {
        return OtpApi.codeAt(clock.instant().plus(STEP.multipliedBy(fast)));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> token(String serial) {
        return zeta.operatorGet("/operator/tokens/{s}", serial).expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();
    }

    WebTestClient.ResponseSpec resync(String login, String otp1, String otp2) {
        return zeta.portalPost("/users/{l}/otp/resync", Map.of("otp1", otp1, "otp2", otp2), login);
    }

    long audits(String serial, String operation, String outcome, String staff) {
        return db.sql("SELECT count(*) FROM audit_events WHERE tenant_id = :t AND serial = :s AND operation = :o "
                        + "AND outcome = :out AND coalesce(staff_id, '') = :staff")
                .bind("t", ZETA).bind("s", serial).bind("o", operation).bind("out", outcome)
                .bind("staff", staff == null ? "" : staff)
                .map(r -> r.get(0, Long.class)).one().block();
    }

    /** Audit rows of batched attempts are read once committed (the commit follows the statement's answer). */
    void awaitAudits(String serial, String operation, String outcome, String staff, long expected) {
        await().atMost(Duration.ofSeconds(5)).until(() -> audits(serial, operation, outcome, staff) == expected);
        assertThat(audits(serial, operation, outcome, staff)).isEqualTo(expected);
    }

    @Test
    void theWindowFollowsATokenRunningFastUpToTheBoundAndNoFurther() {
        String[] fresh = activatedAtT0();
        String[] drifting = activatedAtT0();
        double changes = meters.counter("otp.drift.changes", "tenant", ZETA).count();

        // Three steps fast from the start: beyond now ± 1, refused while nothing is learned.
        at(2);
        zeta.verify(fresh[0], shownBy(3)).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.code").isEqualTo("OTP_INVALID");

        // A token that gains a step at a time: each code is inside the window the last one left.
        for (int fast = 1; fast <= 3; fast++) {
            at(2 * fast);
            zeta.verify(drifting[0], shownBy(fast)).expectStatus().isOk();
            assertThat(token(drifting[1])).containsEntry("driftSteps", fast);
        }
        // Learned: three steps fast is accepted now, and the branch's lookups show it.
        at(8);
        zeta.verify(drifting[0], shownBy(3)).expectStatus().isOk();
        zeta.operatorGet("/operator/users/{l}", drifting[0]).expectStatus().isOk().expectBody()
                .jsonPath("$.driftSteps").isEqualTo(3);
        assertThat(meters.counter("otp.drift.changes", "tenant", ZETA).count()).isEqualTo(changes + 3);

        // The bound: the window reaches at most 3 + 1 steps ahead; a code 5 ahead is a wrong code.
        at(10);
        zeta.verify(drifting[0], shownBy(5)).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.code").isEqualTo("OTP_INVALID").jsonPath("$.remainingAttempts").isEqualTo(2);
        at(12);
        zeta.verify(drifting[0], shownBy(4)).expectStatus().isOk();
        assertThat(token(drifting[1])).containsEntry("driftSteps", 3).containsEntry("failures", 0);

        // A used step stays used: the window moving back does not let the last code in again.
        at(13);
        zeta.verify(drifting[0], shownBy(3)).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.code").isEqualTo("OTP_REPLAYED");
    }

    @Test
    void aSlowTokenIsFollowedOnTheThirdLateCodeInARowAndALateTypistNeverMovesTheWindow() {
        String[] slow = activatedAtT0();
        for (int i = 1; i <= 3; i++) { // a clock one step slow shows the previous minute's code every time
            at(2 * i);
            zeta.verify(slow[0], shownBy(-1)).expectStatus().isOk();
            assertThat(token(slow[1])).containsEntry("driftSteps", i < 3 ? 0 : -1);
        }
        at(8);
        zeta.verify(slow[0], shownBy(-2)).expectStatus().isOk(); // two steps slow: inside the moved window

        String[] typist = activatedAtT0();
        int[] lateness = {-1, 0, -1, -1};
        for (int i = 0; i < lateness.length; i++) {
            at(2 * (i + 1));
            zeta.verify(typist[0], shownBy(lateness[i])).expectStatus().isOk();
        }
        assertThat(token(typist[1])).containsEntry("driftSteps", 0);
    }

    @Test
    void twoFreshConsecutiveCodesResynchroniseAndTheWindowFollows() {
        String[] user = activatedAtT0();
        at(2);
        // The key-fob jumped three steps ahead: its codes are outside the window ...
        zeta.verify(user[0], shownBy(3)).expectStatus().isEqualTo(422);
        // ... until the user types two of them, one after the other.
        at(3);
        resync(user[0], shownBy(2), shownBy(3)).expectStatus().isOk().expectBody()
                .jsonPath("$.driftSteps").isEqualTo(3);
        assertThat(token(user[1])).containsEntry("driftSteps", 3).containsEntry("failures", 0);
        awaitAudits(user[1], "RESYNC", "ACCEPTED", null, 1);
        at(4);
        zeta.verify(user[0], shownBy(3)).expectStatus().isOk();
    }

    @Test
    void aReplayedStaleOrIdenticalPairNeverResynchronisesAndWrongPairsLock() {
        String[] user = activatedAtT0();
        at(3);
        String one = shownBy(2);
        String two = shownBy(3);
        resync(user[0], one, two).expectStatus().isOk();

        // The same pair again: its codes are used (R1), a replay that counts (R7).
        resync(user[0], one, two).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.code").isEqualTo("OTP_REPLAYED");
        // A pair whose first code is the last accepted one: not fresh, although its second code is.
        at(4);
        resync(user[0], two, shownBy(3)).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.code").isEqualTo("OTP_REPLAYED");
        assertThat(token(user[1])).containsEntry("driftSteps", 3).containsEntry("failures", 2);
        // Two identical codes: a malformed request, nothing counted.
        resync(user[0], shownBy(3), shownBy(3)).expectStatus().isEqualTo(400).expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("otp2");
        assertThat(token(user[1])).containsEntry("failures", 2);

        // A pair that is not consecutive is a wrong pair: the third failure locks ...
        resync(user[0], shownBy(1), shownBy(3)).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.code").isEqualTo("OTP_INVALID").jsonPath("$.remainingAttempts").isEqualTo(0);
        assertThat(token(user[1])).containsEntry("locked", true);
        // ... and locked, even a right, fresh pair changes nothing.
        resync(user[0], shownBy(2), shownBy(3)).expectStatus().isEqualTo(423).expectBody()
                .jsonPath("$.code").isEqualTo("OTP_LOCKED");
        assertThat(token(user[1])).containsEntry("driftSteps", 3);
        awaitAudits(user[1], "RESYNC", "REPLAYED", null, 2);
        awaitAudits(user[1], "RESYNC", "INVALID", null, 1);
        awaitAudits(user[1], "RESYNC", "LOCKED", null, 1);
    }

    @Test
    void aWrongPairIsAWrongCodeWithItsRemainingAttempts() {
        String[] user = activatedAtT0();
        at(2);
        // consecutive, but four steps ahead: outside the resync window of 3
        resync(user[0], shownBy(4), shownBy(5)).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.code").isEqualTo("OTP_INVALID").jsonPath("$.remainingAttempts").isEqualTo(2);
        resync(user[0], zeta.wrongCode(), shownBy(1)).expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.remainingAttempts").isEqualTo(1);
        awaitAudits(user[1], "RESYNC", "INVALID", null, 2);
        assertThat(token(user[1])).containsEntry("driftSteps", 0);
        // a code of 6 digits is malformed, not a wrong pair
        resync(user[0], "123456", shownBy(1)).expectStatus().isEqualTo(400);
        assertThat(token(user[1])).containsEntry("failures", 2);
    }

    @Test
    void theBranchResynchronisesAHeldKeyFobWithItsClerkInTheAudit() {
        String[] user = activatedAtT0();
        at(1);
        zeta.verify(user[0], shownBy(0)).expectStatus().isOk(); // the user's token is now in memory too
        at(5);
        zeta.operatorPost("/operator/tokens/{s}/resync", Map.of("otp1", shownBy(-3), "otp2", shownBy(-2),
                        "staffId", "clerk-9"), user[1])
                .expectStatus().isOk().expectBody()
                .jsonPath("$.serial").isEqualTo(user[1]).jsonPath("$.driftSteps").isEqualTo(-2);
        awaitAudits(user[1], "RESYNC", "ACCEPTED", "clerk-9", 1);
        // the instance forgot its copy: the user's next code, two steps slow, is accepted at once
        at(6);
        zeta.verify(user[0], shownBy(-2)).expectStatus().isOk();

        // A serial nobody holds, an unknown one, a missing clerk
        String inStock = zeta.token();
        zeta.operatorPost("/operator/tokens/{s}/resync", Map.of("otp1", shownBy(0), "otp2", shownBy(1),
                "staffId", "clerk-9"), inStock).expectStatus().isEqualTo(409).expectBody()
                .jsonPath("$.code").isEqualTo("OTP_NOT_ACTIVE");
        zeta.operatorPost("/operator/tokens/{s}/resync", Map.of("otp1", shownBy(0), "otp2", shownBy(1),
                "staffId", "clerk-9"), "99999999").expectStatus().isNotFound();
        zeta.operatorPost("/operator/tokens/{s}/resync", Map.of("otp1", shownBy(0), "otp2", shownBy(1)), user[1])
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("staffId");
        // the portal's key cannot use the branch's call
        zeta.portalPost("/operator/tokens/{s}/resync", Map.of("otp1", shownBy(0), "otp2", shownBy(1),
                "staffId", "clerk-9"), user[1]).expectStatus().isForbidden();
    }

    @Test
    void aTenantWithoutResynchronisationSaysSo() {
        String login = beta.activeUser();
        beta.portalPost("/users/{l}/otp/resync", Map.of("otp1", beta.code(),
                        "otp2", OtpApi.codeAt(clock.instant().plus(STEP))), login)
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("RESYNC_DISABLED");
    }
}
