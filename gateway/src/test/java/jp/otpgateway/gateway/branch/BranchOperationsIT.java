package jp.otpgateway.gateway.branch;

import static jp.otpgateway.gateway.support.IntegrationTest.DELTA;
import static jp.otpgateway.gateway.support.IntegrationTest.DELTA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.DELTA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
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
 * The branch's paper forms through the API (docs/api.md "Branch operations"), against PostgreSQL
 * and Redis: a loss report on a shared token, the reissue after it, deactivation and revocation on a
 * user's behalf, the forced activation at login (BLG020), the lookups.
 */
@IntegrationTest
class BranchOperationsIT extends TwoTenantsTest {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final String CLERK = "clerk-0042";

    @Autowired
    DatabaseClient db;

    OtpApi delta;

    @BeforeEach
    void deltaTenant() {
        delta = new OtpApi(http, DELTA, DELTA_PORTAL, DELTA_OPERATOR, clock);
    }

    record Shared(String contract, String serial, List<String> holders) {
    }

    /** Two users of one contract sharing one hardware token, with mail addresses; the clock is past the codes. */
    Shared shared() {
        String contract = OtpApi.newContract();
        String serial = delta.token();
        List<String> holders = List.of(delta.userWithEmail(contract, "MASTER", "master@example.jp"),
                delta.userWithEmail(contract, "GENERAL", "general@example.jp"));
        for (String login : holders) {
            delta.activated(login, serial);
            clock.advance(Duration.ofSeconds(60));
        }
        return new Shared(contract, serial, holders);
    }

    WebTestClient.ResponseSpec report(String serial, String reason) {
        return delta.operatorPost("/operator/tokens/{s}/suspension", Map.of("reason", reason, "staffId", CLERK), serial);
    }

    WebTestClient.ResponseSpec decide(String login, String type, long amount, boolean payeeRegistered, String otp) {
        return delta.portalPost("/transactions", OtpApi.transaction(login, type, amount, payeeRegistered, otp));
    }

    void refusedAsSuspended(WebTestClient.ResponseSpec response) {
        response.expectStatus().isEqualTo(423).expectBody()
                .jsonPath("$.code").isEqualTo("TOKEN_SUSPENDED")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("紛失・破損"));
    }

    long count(String sql, String login) {
        return db.sql(sql).bind("t", DELTA).bind("l", login).map(row -> row.get(0, Long.class)).one().block();
    }

    @Test
    void aLossReportSuspendsEveryHolderOfASharedTokenAndRefusesEverythingTheyTry() {
        Shared s = shared();
        report(s.serial(), "LOST").expectStatus().isOk().expectBody()
                .jsonPath("$.suspended.length()").isEqualTo(2)
                .jsonPath("$.suspended[*].loginId").value(ids -> assertThat((List<String>) ids)
                        .containsExactlyInAnyOrderElementsOf(s.holders()))
                .jsonPath("$.suspended[*].status").value(st -> assertThat((List<String>) st).containsOnly("SUSPENDED"));

        for (String login : s.holders()) {
            refusedAsSuspended(delta.verify(login, delta.code()));
            refusedAsSuspended(decide(login, "LOGIN", 0, false, delta.code()));
            refusedAsSuspended(decide(login, "TRANSFER", 10_000, false, delta.code()));
            refusedAsSuspended(decide(login, "TRANSFER", 10_000, true, null)); // registered payee: exempt otherwise
            refusedAsSuspended(decide(login, "TRANSFER", 1_000, false, null)); // no ¥200,000 fallback either
            refusedAsSuspended(delta.portalPost("/users/{l}/otp/deactivation", Map.of("otp", delta.code()), login));
            refusedAsSuspended(delta.portalPost("/users/{l}/otp/issuance", Map.of("kind", "HARDWARE"), login));
            delta.status(login).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("SUSPENDED");
            assertThat(count("SELECT count(*) FROM mail_outbox WHERE tenant_id = :t AND login_id = :l"
                    + " AND mail_type = 'SUSPENSION_NOTICE'", login)).isEqualTo(1);
        }
        assertThat(count("SELECT count(*) FROM transactions WHERE tenant_id = :t AND login_id = :l", s.holders().get(0)))
                .isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> count("SELECT count(*) FROM audit_events WHERE tenant_id = :t"
                + " AND login_id = :l AND operation = 'SUSPENSION' AND outcome = 'SUSPENDED_LOST'"
                + " AND staff_id = '" + CLERK + "' AND client = 'ops'", s.holders().get(1)) == 1);

        // A second form for the same token changes nothing.
        report(s.serial(), "BROKEN").expectStatus().isEqualTo(423).expectBody().jsonPath("$.code").isEqualTo("TOKEN_SUSPENDED");

        delta.operatorGet("/operator/tokens/{s}", s.serial()).expectStatus().isOk().expectBody()
                .jsonPath("$.state").isEqualTo("SUSPENDED")
                .jsonPath("$.stateLabel").isEqualTo("利用停止中（紛失・破損）")
                .jsonPath("$.suspensionReason").isEqualTo("LOST")
                .jsonPath("$.holders.length()").isEqualTo(2)
                .jsonPath("$.holders[0].status").isEqualTo("SUSPENDED");
        delta.operatorGet("/operator/users/{l}", s.holders().get(0)).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("SUSPENDED")
                .jsonPath("$.statusLabel").isEqualTo("利用停止中（紛失・破損）")
                .jsonPath("$.contractId").isEqualTo(s.contract())
                .jsonPath("$.serial").isEqualTo(s.serial())
                .jsonPath("$.role").isEqualTo("MASTER")
                .jsonPath("$.recentAttempts[*].operation").value(ops -> assertThat((List<String>) ops)
                        .contains("SUSPENSION", "ACTIVATION"));
    }

    @Test
    void theReissueEndsTheSuspensionOnlyForTheUserWhoActivatesTheNewTokenAndTheLostOneNeverWorksAgain() {
        Shared s = shared();
        String reissued = s.holders().get(0);
        String other = s.holders().get(1);
        delta.operatorPost("/operator/reissues", Map.of("loginId", reissued, "staffId", CLERK))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("TOKEN_NOT_SUSPENDED");
        report(s.serial(), "BROKEN").expectStatus().isOk();

        long shipment = ((Number) delta.operatorPost("/operator/reissues", Map.of("loginId", reissued, "staffId", CLERK))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("shipmentId"))
                .longValue();
        delta.operatorPost("/operator/reissues", Map.of("loginId", reissued, "staffId", CLERK))
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("ISSUANCE_PENDING");
        assertThat(count("SELECT count(*) FROM fee_events WHERE tenant_id = :t AND login_id = :l AND fee = 'REISSUE'"
                + " AND reason = 'BROKEN' AND serial = '" + s.serial() + "' AND shipment_id = " + shipment, reissued))
                .isEqualTo(1);

        String fresh = delta.token();
        delta.operatorPost("/operator/shipments/{id}", Map.of("serial", fresh), shipment).expectStatus().isOk();
        refusedAsSuspended(decide(reissued, "LOGIN", 0, false, delta.code())); // until the new token is activated

        // The lost serial can never be activated again: by its holders, by another user of the contract.
        String newcomer = delta.user(s.contract(), "GENERAL");
        for (String login : List.of(reissued, other, newcomer)) {
            delta.activate(login, s.serial(), delta.code()).expectStatus().isEqualTo(409)
                    .expectBody().jsonPath("$.code").isEqualTo("TOKEN_RETIRED");
        }

        clock.advance(Duration.ofSeconds(60));
        delta.activated(reissued, fresh);
        clock.advance(Duration.ofSeconds(60));
        delta.status(reissued).expectBody().jsonPath("$.status").isEqualTo("ACTIVE").jsonPath("$.serial").isEqualTo(fresh);
        decide(reissued, "LOGIN", 0, false, delta.code()).expectStatus().isCreated();
        // The sharer who did not activate stays suspended, and the lost token stays reported for them.
        refusedAsSuspended(decide(other, "LOGIN", 0, false, delta.code()));
        delta.operatorGet("/operator/tokens/{s}", s.serial()).expectBody()
                .jsonPath("$.state").isEqualTo("SUSPENDED").jsonPath("$.holders.length()").isEqualTo(1);

        // The branch ends the other sharer's suspension by deactivation: the lost token is simply retired.
        delta.operatorPost("/operator/users/{l}/otp/deactivation", Map.of("staffId", CLERK), other)
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UNREGISTERED");
        delta.operatorGet("/operator/tokens/{s}", s.serial()).expectBody()
                .jsonPath("$.state").isEqualTo("RETIRED").jsonPath("$.holders.length()").isEqualTo(0);
        decide(other, "TRANSFER", 1_000, false, null).expectStatus().isCreated(); // now the R10 fallback applies
    }

    @Test
    void theBranchDeactivatesWithoutACodeWhereTheUserNeedsOne() {
        String login = delta.activeUser();
        delta.portalPost("/users/{l}/otp/deactivation", Map.of(), login)
                .expectStatus().isEqualTo(428).expectBody().jsonPath("$.code").isEqualTo("OTP_REQUIRED");
        delta.operatorPost("/operator/users/{l}/otp/deactivation", Map.of(), login)
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("staffId");
        delta.operatorPost("/operator/users/{l}/otp/deactivation", Map.of("staffId", "窓口"), login)
                .expectStatus().isBadRequest();
        delta.portalPost("/operator/users/{l}/otp/deactivation", Map.of("staffId", CLERK), login)
                .expectStatus().isForbidden();

        delta.operatorPost("/operator/users/{l}/otp/deactivation", Map.of("staffId", CLERK), login)
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UNREGISTERED");
        delta.status(login).expectBody().jsonPath("$.status").isEqualTo("UNREGISTERED");
        delta.verify(login, delta.code()).expectStatus().isEqualTo(409);
        await().atMost(Duration.ofSeconds(5)).until(() -> count("SELECT count(*) FROM audit_events WHERE tenant_id = :t"
                + " AND login_id = :l AND operation = 'DEACTIVATION' AND outcome = 'DEACTIVATED_BRANCH'"
                + " AND staff_id = '" + CLERK + "'", login) == 1);
        delta.operatorPost("/operator/users/{l}/otp/deactivation", Map.of("staffId", CLERK), login)
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("OTP_NOT_ACTIVE");
    }

    @Test
    void aLockedTokenIsUnlockedBeforeTheBranchDeactivatesIt() {
        String login = delta.activeUser();
        for (int i = 0; i < 5; i++) {
            delta.verify(login, delta.wrongCode()).expectStatus().isEqualTo(422);
        }
        delta.operatorPost("/operator/users/{l}/otp/deactivation", Map.of("staffId", CLERK), login)
                .expectStatus().isEqualTo(423).expectBody().jsonPath("$.code").isEqualTo("OTP_LOCKED");
        delta.operatorGet("/operator/users/{l}", login).expectBody()
                .jsonPath("$.locked").isEqualTo(true).jsonPath("$.failures").isEqualTo(5)
                .jsonPath("$.statusLabel").isEqualTo("停止中");
        delta.operatorPost("/operator/unlocks", Map.of("loginIds", List.of(login), "staffId", CLERK)).expectStatus().isOk();
        delta.operatorPost("/operator/users/{l}/otp/deactivation", Map.of("staffId", CLERK), login).expectStatus().isOk();
        await().atMost(Duration.ofSeconds(5)).until(() -> count("SELECT count(*) FROM audit_events WHERE tenant_id = :t"
                + " AND login_id = :l AND operation = 'UNLOCK' AND staff_id = '" + CLERK + "'", login) == 1);
    }

    @Test
    void theBranchRevokesOnTheUsersBehalfWithTheCooldown() {
        String login = delta.activeUser();
        delta.operatorPost("/operator/users/{l}/otp/revocation", Map.of("staffId", CLERK), login)
                .expectStatus().isOk().expectBody()
                .jsonPath("$.revoked[0].loginId").isEqualTo(login)
                .jsonPath("$.revoked[0].status").isEqualTo("REVOKED")
                .jsonPath("$.issuanceAvailableAt").exists();
        decide(login, "LOGIN", 0, false, delta.code()).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("TOKEN_REVOKED");
        delta.operatorPost("/operator/users/{l}/otp/revocation", Map.of("staffId", CLERK), login)
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("OTP_NOT_ACTIVE");
        await().atMost(Duration.ofSeconds(5)).until(() -> count("SELECT count(*) FROM audit_events WHERE tenant_id = :t"
                + " AND login_id = :l AND operation = 'REVOCATION' AND outcome = 'REVOKED_BRANCH' AND actor IS NULL"
                + " AND staff_id = '" + CLERK + "'", login) == 1);
    }

    @Test
    void activationIsRequiredAtLoginFromMidnightInTokyoOfTheStartDate() {
        LocalDate startsOn = clock.instant().atZone(TOKYO).toLocalDate().plusDays(3);
        String login = delta.user(OtpApi.newContract(), "GENERAL");
        long shipment = ((Number) delta.operatorPost("/operator/issuances", Map.of("loginId", login, "kind", "HARDWARE"))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("shipmentId"))
                .longValue();
        String serial = delta.token(clock.instant().plus(Duration.ofDays(400)));
        delta.operatorPost("/operator/shipments/{id}", Map.of("serial", serial, "startsOn", "2001-01-01"), shipment)
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("startsOn");
        delta.operatorPost("/operator/shipments/{id}", Map.of("serial", serial, "startsOn", startsOn.toString()), shipment)
                .expectStatus().isOk().expectBody().jsonPath("$.startsOn").isEqualTo(startsOn.toString());

        clock.fix(LocalDateTime.of(startsOn.minusDays(1), java.time.LocalTime.of(23, 59, 59)).atZone(TOKYO).toInstant());
        decide(login, "LOGIN", 0, false, null).expectStatus().isCreated();
        delta.status(login).expectBody().jsonPath("$.activationRequired").isEqualTo(false)
                .jsonPath("$.pending.startsOn").isEqualTo(startsOn.toString());

        clock.fix(startsOn.atStartOfDay(TOKYO).toInstant());
        decide(login, "LOGIN", 0, false, null).expectStatus().isEqualTo(428).expectBody()
                .jsonPath("$.code").isEqualTo("ACTIVATION_REQUIRED")
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("利用開始登録"));
        delta.status(login).expectBody().jsonPath("$.status").isEqualTo("ISSUED")
                .jsonPath("$.activationRequired").isEqualTo(true);
        delta.operatorGet("/operator/users/{l}", login).expectBody().jsonPath("$.activationRequired").isEqualTo(true);
        // Other operations are not the login screen: the portal only forces the activation there.
        decide(login, "TRANSFER", 1_000, false, null).expectStatus().isCreated();

        delta.activated(login, serial);
        clock.advance(Duration.ofSeconds(60));
        decide(login, "LOGIN", 0, false, delta.code()).expectStatus().isCreated();
    }

    @Test
    void aTenantWithoutForcedActivationLetsTheUserLogInAfterTheStartDate() {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        long shipment = ((Number) alpha.operatorPost("/operator/issuances", Map.of("loginId", login, "kind", "HARDWARE"))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("shipmentId"))
                .longValue();
        alpha.operatorPost("/operator/shipments/{id}", Map.of("serial", alpha.token()), shipment).expectStatus().isOk()
                .expectBody().jsonPath("$.startsOn").isEqualTo(clock.instant().atZone(TOKYO).toLocalDate().plusDays(14).toString());
        clock.advance(Duration.ofDays(30));
        alpha.portalPost("/transactions", OtpApi.transaction(login, "LOGIN", 0, false, null)).expectStatus().isCreated();
        alpha.status(login).expectBody().jsonPath("$.activationRequired").doesNotExist();
    }

    @Test
    void badFormsAreRefusedWithTheirField() {
        String serial = delta.token();
        delta.operatorPost("/operator/tokens/{s}/suspension", Map.of("reason", "STOLEN", "staffId", CLERK), serial)
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("reason");
        report("999999999999", "LOST").expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("TOKEN_NOT_FOUND");
        report(serial, "LOST").expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("OTP_NOT_ACTIVE");
        delta.operatorGet("/operator/tokens/{s}", serial).expectBody().jsonPath("$.state").isEqualTo("IN_STOCK");
        delta.operatorGet("/operator/users/{l}", "nobody-here").expectStatus().isNotFound();
        delta.operatorGet("/operator/tokens?state=EVERYTHING").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("state");
        delta.operatorGet("/operator/tokens?state=IN_STOCK&cursor=123").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("cursor");
        delta.operatorGet("/operator/tokens?state=IN_STOCK&limit=0").expectStatus().isBadRequest();
        delta.portalGet("/operator/tokens/{s}", serial).expectStatus().isForbidden();
    }
}
