package jp.otpgateway.gateway.transaction;

import java.util.Map;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TestClock;
import jp.otpgateway.gateway.support.TestClockConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The decision table of README "Transactions" against the three sample tenants exactly as shipped
 * (tenant-config/tenants, with their demo keys): さくら asks OTP at login and lists 002's
 * operations, かえで exempts registered payees (004), あおば unlocks at the branch only and denies
 * OTP-required non-money operations to users without OTP (001/003).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "otp.tenants.dir=../tenant-config/tenants")
@AutoConfigureWebTestClient(timeout = "30s")
@ActiveProfiles("test")
@Import(TestClockConfiguration.class)
class SampleTenantsDecisionIT {

    @Autowired
    WebTestClient http;

    @Autowired
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    OtpApi tenant(String name) {
        return new OtpApi(http, name + "-shinkumi", "demo-" + name + "-portal-key", "demo-" + name + "-operator-key",
                clock);
    }

    static Map<String, Object> tx(String login, String type, long amount, boolean payeeRegistered, String otp) {
        return OtpApi.transaction(login, type, amount, payeeRegistered, otp);
    }

    /** A GENERAL user whose token its contract's MASTER revoked (R12), with the MASTER's current code. */
    String revokedUser(OtpApi api) {
        String contract = OtpApi.newContract();
        String master = api.user(contract, "MASTER");
        String general = api.user(contract, "GENERAL");
        api.activated(master, api.token());
        api.activated(general, api.token());
        clock.advance(java.time.Duration.ofSeconds(60));
        api.portalPost("/contracts/{c}/revocations", Map.of("actor", master, "loginIds", java.util.List.of(general),
                "otp", api.code()), contract).expectStatus().isOk();
        api.status(general).expectBody().jsonPath("$.status").isEqualTo("REVOKED");
        return general;
    }

    static void refusedAsRevoked(WebTestClient.ResponseSpec response) {
        response.expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("TOKEN_REVOKED");
    }

    @Nested
    class Sakura {

        OtpApi sakura;

        @BeforeEach
        void setUp() {
            sakura = tenant("sakura");
        }

        @Test
        void loginNeedsTheCodeOnceActivated() {
            String login = sakura.activeUser();
            sakura.portalPost("/transactions", tx(login, "LOGIN", 0, false, null)).expectStatus().isEqualTo(428);
            sakura.portalPost("/transactions", tx(login, "LOGIN", 0, false, sakura.code()))
                    .expectStatus().isCreated().expectBody().jsonPath("$.otpVerified").isEqualTo(true);
        }

        @Test
        void aRegisteredPayeeIsNoExemptionHere() {
            String login = sakura.activeUser();
            sakura.portalPost("/transactions", tx(login, "TRANSFER", 10_000, true, null))
                    .expectStatus().isEqualTo(428).expectBody().jsonPath("$.code").isEqualTo("OTP_REQUIRED");
            sakura.portalPost("/transactions", tx(login, "BULK_TRANSFER_FILE", 3_000_000, true, sakura.code()))
                    .expectStatus().isCreated().expectBody().jsonPath("$.otpVerified").isEqualTo(true);
        }

        @Test
        void withoutOtpMoneyMovesWithinTwoHundredThousandAndPermissionChangesAreAllowed() {
            String login = sakura.user(OtpApi.newContract(), "MASTER");
            sakura.portalPost("/transactions", tx(login, "PAYROLL_TRANSFER", 150_000, false, null))
                    .expectStatus().isCreated().expectBody().jsonPath("$.limit.remaining").isEqualTo(50_000);
            sakura.portalPost("/transactions", tx(login, "PAYMENT", 60_000, false, null))
                    .expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("LIMIT_EXCEEDED")
                    .jsonPath("$.limit.remaining").isEqualTo(50_000);
            sakura.portalPost("/transactions", tx(login, "USER_PERMISSION_CHANGE", 0, false, null))
                    .expectStatus().isCreated().expectBody().jsonPath("$.otpVerified").isEqualTo(false)
                    .jsonPath("$.limit").doesNotExist();
        }

        @Test
        void aRevokedUserCanNeitherLogInNorChangePermissionsNorMoveMoneyAlsoWithANewTokenOnItsWay() {
            String login = revokedUser(sakura);
            refusedAsRevoked(sakura.portalPost("/transactions", tx(login, "LOGIN", 0, false, null)));
            refusedAsRevoked(sakura.portalPost("/transactions", tx(login, "USER_PERMISSION_CHANGE", 0, false, null)));
            refusedAsRevoked(sakura.portalPost("/transactions", tx(login, "TRANSFER", 150_000, false, null)));
            refusedAsRevoked(sakura.portalPost("/transactions", tx(login, "PAYMENT", 1_000, true, null)));

            clock.advance(java.time.Duration.ofMinutes(31)); // 004's cool-down, then the branch issues a new key-fob
            sakura.operatorPost("/operator/issuances", Map.of("loginId", login, "kind", "HARDWARE")).expectStatus().isCreated();
            sakura.status(login).expectBody().jsonPath("$.status").isEqualTo("ISSUED");
            refusedAsRevoked(sakura.portalPost("/transactions", tx(login, "LOGIN", 0, false, null)));
            refusedAsRevoked(sakura.portalPost("/transactions", tx(login, "TRANSFER", 150_000, false, null)));
            sakura.status(login).expectBody().jsonPath("$.dailyTransferUsed").isEqualTo(0);
        }

        @Test
        void anOperationTheTenantDoesNotListIsRefused() {
            String login = sakura.user(OtpApi.newContract(), "GENERAL");
            sakura.portalPost("/transactions", tx(login, "CUSTOMER_INFO_CHANGE", 0, false, null))
                    .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("type");
        }
    }

    @Nested
    class Kaede {

        OtpApi kaede;

        @BeforeEach
        void setUp() {
            kaede = tenant("kaede");
        }

        @Test
        void aTransferToARegisteredPayeeNeedsNoCode() {
            String login = kaede.activeUser();
            kaede.portalPost("/transactions", tx(login, "TRANSFER", 9_000_000, true, null))
                    .expectStatus().isCreated().expectBody()
                    .jsonPath("$.otpVerified").isEqualTo(false)
                    .jsonPath("$.limit").doesNotExist();
            kaede.portalPost("/transactions", tx(login, "TRANSFER", 9_000_000, false, null))
                    .expectStatus().isEqualTo(428);
        }

        @Test
        void paymentsAreNotExemptEvenToARegisteredPayee() {
            String login = kaede.activeUser();
            kaede.portalPost("/transactions", tx(login, "PAYMENT", 1_000, true, null)).expectStatus().isEqualTo(428);
            kaede.portalPost("/transactions", tx(login, "PAYMENT", 1_000, true, kaede.code()))
                    .expectStatus().isCreated();
        }

        @Test
        void withoutOtpTheLimitCoversRegisteredPayeesToo() {
            String login = kaede.user(OtpApi.newContract(), "GENERAL");
            kaede.portalPost("/transactions", tx(login, "TRANSFER", 200_000, true, null))
                    .expectStatus().isCreated().expectBody().jsonPath("$.limit.remaining").isEqualTo(0);
            kaede.portalPost("/transactions", tx(login, "TRANSFER", 1, true, null))
                    .expectStatus().isEqualTo(422).expectBody().jsonPath("$.code").isEqualTo("LIMIT_EXCEEDED");
        }

        @Test
        void aRevokedUserCannotLogInWhereLoginNeedsNoCodeNorPayARegisteredPayee() {
            String login = revokedUser(kaede);
            refusedAsRevoked(kaede.portalPost("/transactions", tx(login, "LOGIN", 0, false, null)));
            refusedAsRevoked(kaede.portalPost("/transactions", tx(login, "CUSTOMER_INFO_CHANGE", 0, false, null)));
            refusedAsRevoked(kaede.portalPost("/transactions", tx(login, "TRANSFER", 150_000, true, null)));
            refusedAsRevoked(kaede.portalPost("/transactions", tx(login, "TRANSFER", 150_000, false, null)));
        }

        @Test
        void loginNeedsNoCode() {
            String login = kaede.activeUser();
            kaede.portalPost("/transactions", tx(login, "LOGIN", 0, false, null))
                    .expectStatus().isCreated().expectBody().jsonPath("$.otpVerified").isEqualTo(false);
        }
    }

    @Nested
    class Aoba {

        OtpApi aoba;

        @BeforeEach
        void setUp() {
            aoba = tenant("aoba");
        }

        @Test
        void withoutOtpCustomerDataChangesAreDenied() {
            String login = aoba.user(OtpApi.newContract(), "GENERAL");
            aoba.portalPost("/transactions", tx(login, "CUSTOMER_INFO_CHANGE", 0, false, null))
                    .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("OTP_NOT_ACTIVE");
            aoba.portalPost("/transactions", tx(login, "TRANSFER", 200_001, false, null))
                    .expectStatus().isEqualTo(422);
            aoba.portalPost("/transactions", tx(login, "LOGIN", 0, false, null)).expectStatus().isCreated();
        }

        @Test
        void aLockedUserCanDoNothingUntilTheBranchUnlocks() {
            String login = aoba.activeUser();
            for (int i = 0; i < 5; i++) {
                aoba.verify(login, aoba.wrongCode()).expectStatus().isEqualTo(422);
            }
            aoba.portalPost("/transactions", tx(login, "LOGIN", 0, false, null)).expectStatus().isEqualTo(423);
            aoba.portalPost("/transactions", tx(login, "TRANSFER", 1_000, false, null)).expectStatus().isEqualTo(423);

            aoba.operatorPost("/operator/unlocks", Map.of("loginIds", java.util.List.of(login), "staffId", "clerk-01")).expectStatus().isOk();
            aoba.portalPost("/transactions", tx(login, "TRANSFER", 1_000, false, aoba.code()))
                    .expectStatus().isCreated().expectBody().jsonPath("$.otpVerified").isEqualTo(true);
        }
    }
}
