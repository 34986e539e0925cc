package jp.otpgateway.gateway.onboarding;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

/** Users of another platform arrive with the hardware tokens they already use (operator migration file). */
@IntegrationTest
class UserMigrationIT extends TwoTenantsTest {

    static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    Map<String, Object> migrate(OtpApi api, String key, String csv) {
        return http.post().uri("/v1/tenants/{t}/operator/migrations", api.tenant())
                .headers(h -> h.setBearerAuth(key))
                .contentType(MediaType.parseMediaType("text/csv"))
                .bodyValue(csv)
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
    }

    static String id() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void usersArriveActiveWithTheirTokensAndEveryOtherLineSaysWhy() {
        String shared = alpha.token();
        String own = alpha.token();
        String elsewhere = alpha.token();
        String c1 = "MC-" + id();
        String c2 = "MC-" + id();
        String master = "m-" + id();
        String clerk = "g-" + id();
        String other = "o-" + id();
        String taken = "t-" + id();
        String csv = String.join("\n",
                "login_id,contract_id,name,role,serial,email",
                master + "," + c1 + ",山田太郎,MASTER," + shared + ",taro@example.jp",
                clerk + "," + c1 + ",佐藤花子,GENERAL," + shared + ",",
                other + "," + c2 + ",鈴木一郎,MASTER," + own + ",",
                taken + "," + c2 + ",田中次郎,GENERAL," + shared + ",",
                "x-" + id() + "," + c2 + ",高橋,GENERAL,999999999999,",
                "y-" + id() + "," + c2 + ",伊藤,BOSS," + elsewhere + ",",
                master + "," + c1 + ",山田太郎,MASTER," + own + ",",
                "z-" + id() + "," + c2 + ",渡辺,GENERAL,12ab,") + "\n";
        Map<String, Object> report = migrate(alpha, IntegrationTest.ALPHA_OPERATOR, csv);
        assertThat(report).containsEntry("imported", 3).containsEntry("skipped", 0).containsEntry("errorCount", 5);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> errors = (List<Map<String, Object>>) report.get("errors");
        assertThat(errors).extracting(e -> e.get("line") + ":" + e.get("code")).containsExactly(
                "5:TOKEN_OTHER_CONTRACT", "6:TOKEN_NOT_FOUND", "7:INVALID_ROLE", "8:DUPLICATE_LOGIN",
                "9:INVALID_SERIAL");

        // ACTIVE at once, sharing one token in one contract; the code works as after an activation.
        alpha.status(master).expectBody().jsonPath("$.status").isEqualTo("ACTIVE")
                .jsonPath("$.serial").isEqualTo(shared).jsonPath("$.sharedWith[0]").isEqualTo(clerk);
        alpha.verify(clerk, alpha.code()).expectStatus().isOk();
        clock.advance(Duration.ofSeconds(60));
        alpha.verify(other, alpha.code()).expectStatus().isOk();

        // Again: what is there already is skipped, nothing is doubled.
        Map<String, Object> again = migrate(alpha, IntegrationTest.ALPHA_OPERATOR, csv);
        assertThat(again).containsEntry("imported", 0).containsEntry("skipped", 3);
    }

    @Test
    void aTenantWithoutSharingRefusesASecondUserOfOneToken() {
        String serial = beta.token();
        String contract = "MC-" + id();
        Map<String, Object> report = migrate(beta, IntegrationTest.BETA_OPERATOR, "login_id,contract_id,name,role,serial\n"
                + "a-" + id() + "," + contract + ",A,MASTER," + serial + "\n"
                + "b-" + id() + "," + contract + ",B,GENERAL," + serial + "\n");
        assertThat(report).containsEntry("imported", 0).containsEntry("errorCount", 2);
    }

    @Test
    void aWrongHeaderRefusesTheFileAndThePortalKeyIsNotEnough() {
        http.post().uri("/v1/tenants/{t}/operator/migrations", ALPHA).headers(h -> h.setBearerAuth(ALPHA_OPERATOR))
                .contentType(MediaType.parseMediaType("text/csv")).bodyValue("login,serial\nx,12345678\n")
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("header");
        http.post().uri("/v1/tenants/{t}/operator/migrations", ALPHA).headers(h -> h.setBearerAuth(ALPHA_PORTAL))
                .contentType(MediaType.parseMediaType("text/csv")).bodyValue("login_id,contract_id,name,role,serial\n")
                .exchange().expectStatus().isForbidden();
    }
}
