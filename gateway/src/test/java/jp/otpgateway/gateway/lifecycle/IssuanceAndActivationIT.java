package jp.otpgateway.gateway.lifecycle;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.Test;

/** R4–R6, R12, R16 through the API: issuance, shipment, activation and its refusals, sharing. */
@IntegrationTest
class IssuanceAndActivationIT extends TwoTenantsTest {

    @Test
    void portalRequestIsShippedByTheOperatorAndActivatedByTheUser() {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        String serial = alpha.token();

        Number shipmentId = (Number) alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "HARDWARE"), login)
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("shipmentId");
        assertThat(shipmentId).isNotNull();
        alpha.status(login).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("ISSUED")
                .jsonPath("$.pending.status").isEqualTo("REQUESTED")
                .jsonPath("$.pending.kind").isEqualTo("HARDWARE")
                .jsonPath("$.dailyTransferLimit").isEqualTo(200000);
        alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "HARDWARE"), login)
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("ISSUANCE_PENDING");

        List<?> requested = alpha.operatorGet("/operator/shipments?status=REQUESTED").expectStatus().isOk()
                .expectBody(List.class).returnResult().getResponseBody();
        assertThat(requested).anySatisfy(s -> {
            Map<?, ?> shipment = (Map<?, ?>) s;
            assertThat(shipment.get("loginId")).isEqualTo(login);
            assertThat(shipment.get("channel")).isEqualTo("PORTAL");
        });

        alpha.operatorPost("/operator/shipments/{id}", Map.of("serial", serial), shipmentId)
                .expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("SHIPPED").jsonPath("$.serial").isEqualTo(serial);
        alpha.operatorPost("/operator/shipments/{id}", Map.of("serial", serial), shipmentId)
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("SHIPMENT_CLOSED");
        alpha.status(login).expectBody().jsonPath("$.status").isEqualTo("ISSUED")
                .jsonPath("$.pending.status").isEqualTo("SHIPPED").jsonPath("$.pending.serial").isEqualTo(serial);

        alpha.activate(login, serial, alpha.code()).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("ACTIVE")
                .jsonPath("$.kind").isEqualTo("HARDWARE")
                .jsonPath("$.serial").isEqualTo(serial)
                .jsonPath("$.expiresAt").value(v -> assertThat(v.toString()).endsWith("+09:00"))
                .jsonPath("$.sharedWith").isEmpty();
        alpha.status(login).expectBody()
                .jsonPath("$.status").isEqualTo("ACTIVE")
                .jsonPath("$.serial").isEqualTo(serial)
                .jsonPath("$.pending").doesNotExist()
                .jsonPath("$.reissueAvailableFrom").exists()
                .jsonPath("$.dailyTransferLimit").isEmpty();
    }

    @Test
    void branchIssuanceAndShipmentRefusals() {
        String contract = OtpApi.newContract();
        String login = alpha.user(contract, "GENERAL");
        Number id = (Number) alpha.operatorPost("/operator/issuances", Map.of("loginId", login, "kind", "HARDWARE"))
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("shipmentId");

        alpha.operatorPost("/operator/shipments/{id}", Map.of("serial", "999999999999"), id)
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("TOKEN_NOT_FOUND");
        alpha.operatorPost("/operator/shipments/{id}", Map.of("serial", "12ab"), id)
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("serial");
        alpha.operatorPost("/operator/shipments/{id}", Map.of("serial", alpha.token()), 999_999_999)
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("SHIPMENT_NOT_FOUND");

        String inUse = alpha.token();
        alpha.activated(alpha.user(OtpApi.newContract(), "GENERAL"), inUse);
        alpha.operatorPost("/operator/shipments/{id}", Map.of("serial", inUse), id)
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("TOKEN_OTHER_CONTRACT");

        alpha.operatorPost("/operator/issuances", Map.of("loginId", "nobody-" + contract, "kind", "HARDWARE"))
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("USER_NOT_FOUND");
        alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "PAPER"), login)
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("kind");
    }

    @Test
    void activationRefusalsFollowTheApiCodes() {
        String contract = OtpApi.newContract();
        String login = alpha.user(contract, "GENERAL");

        alpha.activate(login, "100000000000", alpha.code())
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("TOKEN_NOT_FOUND");
        alpha.activate(login, "1234567", alpha.code())
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("serial");
        alpha.activate(login, alpha.token(), "12a45678")
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("otp");
        alpha.activate("nobody-" + contract, alpha.token(), alpha.code())
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("USER_NOT_FOUND");
        alpha.portalPost("/users/{l}/otp/activation", Map.of("otp", alpha.code()), login)
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("NOT_ISSUED");

        String expiring = alpha.token(clock.instant().plus(Duration.ofDays(1)));
        clock.advance(Duration.ofDays(2));
        alpha.activate(login, expiring, alpha.code())
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("TOKEN_EXPIRED");
        clock.reset();

        String othersToken = alpha.token();
        alpha.activated(alpha.user(OtpApi.newContract(), "MASTER"), othersToken);
        alpha.activate(login, othersToken, alpha.code())
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("TOKEN_OTHER_CONTRACT");

        String mine = alpha.token();
        alpha.activated(login, mine);
        alpha.activate(login, mine, alpha.code())
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("ALREADY_ACTIVE");
        alpha.activate(login, alpha.token(), alpha.code())
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("ALREADY_ACTIVE");
    }

    @Test
    void aWrongCodeAtActivationCountsAgainstTheToken() {
        String serial = alpha.token();
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        alpha.activate(login, serial, alpha.wrongCode())
                .expectStatus().isEqualTo(422).expectBody()
                .jsonPath("$.code").isEqualTo("OTP_INVALID")
                .jsonPath("$.remainingAttempts").isEqualTo(4);
        alpha.status(login).expectBody().jsonPath("$.status").isEqualTo("UNREGISTERED");
        alpha.activated(login, serial);
        clock.advance(Duration.ofSeconds(60));
        alpha.verify(login, alpha.wrongCode()).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.remainingAttempts").isEqualTo(4); // the correct activation code reset it
    }

    @Test
    void usersOfOneContractShareATokenAndSeeEachOther() {
        String contract = OtpApi.newContract();
        String first = alpha.user(contract, "MASTER");
        String second = alpha.user(contract, "GENERAL");
        String serial = alpha.token();
        alpha.activated(first, serial);
        clock.advance(Duration.ofSeconds(60));
        alpha.activate(second, serial, alpha.code()).expectStatus().isOk().expectBody()
                .jsonPath("$.sharedWith[0]").isEqualTo(first);
        alpha.status(first).expectBody().jsonPath("$.sharedWith[0]").isEqualTo(second);

        alpha.portalGet("/contracts/{c}/users", contract).expectStatus().isOk().expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[?(@.loginId == '" + first + "')].serial").isEqualTo(serial)
                .jsonPath("$[?(@.loginId == '" + second + "')].status").isEqualTo("ACTIVE")
                .jsonPath("$[?(@.loginId == '" + first + "')].role").isEqualTo("MASTER");
        alpha.portalGet("/contracts/{c}/users", OtpApi.newContract())
                .expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("CONTRACT_NOT_FOUND");
    }

    @Test
    void aTenantWithoutSharingRefusesASecondUser() {
        String contract = OtpApi.newContract();
        String serial = beta.token();
        beta.activated(beta.user(contract, "MASTER"), serial);
        clock.advance(Duration.ofSeconds(60));
        beta.activate(beta.user(contract, "GENERAL"), serial, beta.code())
                .expectStatus().isEqualTo(409).expectBody().jsonPath("$.code").isEqualTo("TOKEN_IN_USE");
    }

    @Test
    void aUserHoldingATokenKeepsItsContract() {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        alpha.activated(login, alpha.token());
        http.put().uri("/v1/tenants/{t}/users/{l}", ALPHA, login)
                .headers(h -> h.setBearerAuth(ALPHA_PORTAL))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("contractId", OtpApi.newContract(), "name", "移籍", "role", "GENERAL"))
                .exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("CONTRACT_CHANGE_REFUSED");
    }
}
