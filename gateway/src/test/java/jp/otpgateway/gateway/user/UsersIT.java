package jp.otpgateway.gateway.user;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_PORTAL;
import static jp.otpgateway.gateway.support.IntegrationTest.BETA;
import static jp.otpgateway.gateway.support.IntegrationTest.BETA_PORTAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.otpgateway.gateway.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

@IntegrationTest
class UsersIT {

    @Autowired
    WebTestClient http;

    @Autowired
    DatabaseClient db;

    static String newLoginId() {
        return "u-" + UUID.randomUUID().toString().substring(0, 8) + "@users-it";
    }

    WebTestClient.ResponseSpec put(String tenant, String key, String loginId, String json) {
        return http.put().uri("/v1/tenants/{t}/users/{l}", tenant, loginId)
                .headers(h -> h.setBearerAuth(key))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange();
    }

    WebTestClient.ResponseSpec status(String tenant, String key, String loginId) {
        return http.get().uri("/v1/tenants/{t}/users/{l}/otp", tenant, loginId)
                .headers(h -> h.setBearerAuth(key))
                .exchange();
    }

    @Test
    void newUserIsCreatedWith201AndStoredWithItsContract() {
        String login = newLoginId();
        put(ALPHA, ALPHA_PORTAL, login, """
                {"contractId": "C-USERS-1", "name": "山田 太郎", "role": "MASTER", "email": "taro@example.jp"}""")
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.loginId").isEqualTo(login)
                .jsonPath("$.contractId").isEqualTo("C-USERS-1")
                .jsonPath("$.name").isEqualTo("山田 太郎")
                .jsonPath("$.role").isEqualTo("MASTER")
                .jsonPath("$.email").isEqualTo("taro@example.jp")
                .jsonPath("$.createdAt").value(t -> assertThat((String) t).endsWith("+09:00"));

        Map<String, Object> row = db.sql("SELECT u.contract_id, u.role, c.contract_id AS c FROM users u "
                        + "JOIN contracts c USING (tenant_id, contract_id) WHERE u.tenant_id = :t AND u.login_id = :l")
                .bind("t", ALPHA).bind("l", login).fetch().one().block(Duration.ofSeconds(5));
        assertThat(row).containsEntry("contract_id", "C-USERS-1").containsEntry("role", "MASTER");
    }

    @Test
    void secondPutUpdatesTheUserWith200() {
        String login = newLoginId();
        put(ALPHA, ALPHA_PORTAL, login, """
                {"contractId": "C-USERS-2", "name": "佐藤 花子", "role": "GENERAL", "email": "hanako@example.jp"}""")
                .expectStatus().isCreated();
        put(ALPHA, ALPHA_PORTAL, login, """
                {"contractId": "C-USERS-2", "name": "佐藤 花子", "role": "ADMIN"}""")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.role").isEqualTo("ADMIN")
                .jsonPath("$.email").doesNotExist();
    }

    @Test
    void userWithoutTokenIsUnregisteredWithTheTenantsFallbackLimit() {
        String login = newLoginId();
        put(ALPHA, ALPHA_PORTAL, login, "{\"contractId\": \"C-3\", \"name\": \"鈴木\", \"role\": \"GENERAL\"}")
                .expectStatus().isCreated();
        status(ALPHA, ALPHA_PORTAL, login)
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.loginId").isEqualTo(login)
                .jsonPath("$.status").isEqualTo("UNREGISTERED")
                .jsonPath("$.sharedWith").isEmpty()
                .jsonPath("$.dailyTransferLimit").isEqualTo(200000);
    }

    @Test
    void theLimitIsThatOfTheUsersTenant() {
        String login = newLoginId();
        put(BETA, BETA_PORTAL, login, "{\"contractId\": \"C-4\", \"name\": \"高橋\", \"role\": \"GENERAL\"}")
                .expectStatus().isCreated();
        status(BETA, BETA_PORTAL, login).expectStatus().isOk()
                .expectBody().jsonPath("$.dailyTransferLimit").isEqualTo(150000);
    }

    @Test
    void sameLoginIdInTwoTenantsIsTwoUsers() {
        String login = newLoginId();
        put(ALPHA, ALPHA_PORTAL, login, "{\"contractId\": \"C-5\", \"name\": \"甲\", \"role\": \"GENERAL\"}")
                .expectStatus().isCreated();
        status(BETA, BETA_PORTAL, login).expectStatus().isNotFound();
        put(BETA, BETA_PORTAL, login, "{\"contractId\": \"C-5\", \"name\": \"乙\", \"role\": \"GENERAL\"}")
                .expectStatus().isCreated();
    }

    @Test
    void unknownUserIs404UserNotFound() {
        status(ALPHA, ALPHA_PORTAL, newLoginId())
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("USER_NOT_FOUND")
                .jsonPath("$.message").isEqualTo("指定された利用者は登録されていません。");
    }

    @Test
    void everyInvalidFieldIsReportedAtOnceAndNothingIsWritten() {
        String login = newLoginId();
        put(ALPHA, ALPHA_PORTAL, login, """
                {"contractId": "C 1", "name": "", "role": "OWNER", "email": "not-an-address"}""")
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo("VALIDATION_FAILED")
                .jsonPath("$.errors[*].field").value(fields ->
                        assertThat((List<Object>) fields).containsExactly("contractId", "name", "role", "email"))
                .jsonPath("$.errors[0].message").isEqualTo("契約者IDの形式が正しくありません（半角英数字と . _ @ - の1～64文字）。")
                .jsonPath("$.errors[2].code").isEqualTo("INVALID_VALUE");
        status(ALPHA, ALPHA_PORTAL, login).expectStatus().isNotFound();
    }

    @Test
    void nameLongerThanOneHundredCharactersIsRefused() {
        put(ALPHA, ALPHA_PORTAL, newLoginId(),
                "{\"contractId\": \"C-6\", \"name\": \"" + "あ".repeat(101) + "\", \"role\": \"GENERAL\"}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].code").isEqualTo("TOO_LONG");
    }

    @Test
    void loginIdOutsideItsCharacterSetIsRefused() {
        status(ALPHA, ALPHA_PORTAL, "山田").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("loginId");
        put(ALPHA, ALPHA_PORTAL, "a".repeat(65), "{\"contractId\": \"C\", \"name\": \"x\", \"role\": \"GENERAL\"}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("loginId");
    }

    @Test
    void parallelFirstRegistrationsOfOneUserCreateItExactlyOnce() {
        String login = newLoginId();
        List<HttpStatusCode> statuses = Flux.range(0, 16)
                .parallel(16).runOn(Schedulers.boundedElastic())
                .map(i -> put(ALPHA, ALPHA_PORTAL, login,
                        "{\"contractId\": \"C-PAR\", \"name\": \"並行" + i + "\", \"role\": \"GENERAL\"}")
                        .returnResult(String.class).getStatus())
                .sequential().collectList().block(Duration.ofSeconds(30));
        assertThat(statuses).hasSize(16);
        assertThat(statuses).filteredOn(s -> s.equals(HttpStatus.CREATED)).hasSize(1);
        assertThat(statuses).filteredOn(s -> s.equals(HttpStatus.OK)).hasSize(15);
    }
}
