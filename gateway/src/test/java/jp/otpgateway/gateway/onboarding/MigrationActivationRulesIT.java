package jp.otpgateway.gateway.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

/**
 * The migration file judges each line by the rules of an activation (R5, R6, R11), repeated in one SQL
 * statement so that a thousand lines cost one round trip (R2dbcUserMigrations). Here every case is run
 * both ways on two identical set-ups: through the activation (ActivationPolicy, the Java rule) and through
 * a one-line migration file (the SQL), and both must answer the same code (an imported line = an
 * activation that passes its checks; a line already so = ALREADY_ACTIVE for the same token).
 */
@IntegrationTest
class MigrationActivationRulesIT extends TwoTenantsTest {

    static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    /** A prepared state: the user a line or an activation names, its contract and the serial. */
    record Case(OtpApi api, String login, String contract, String serial) {
    }

    static String id() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static Stream<Arguments> cases() {
        return Stream.<Arguments>of(
                Arguments.of("a fresh token", "alpha", (Function<MigrationActivationRulesIT, Case>) t -> t.fresh(t.alpha, t.alpha.token())),
                Arguments.of("a token the tenant does not have", "alpha", (Function<MigrationActivationRulesIT, Case>) t -> t.fresh(t.alpha, "987654321098")),
                Arguments.of("an expired token", "alpha", (Function<MigrationActivationRulesIT, Case>) t -> t.expired()),
                Arguments.of("a retired token", "beta", (Function<MigrationActivationRulesIT, Case>) t -> t.retired()),
                Arguments.of("a token of another contract", "alpha", (Function<MigrationActivationRulesIT, Case>) t -> t.heldBy(t.alpha, false)),
                Arguments.of("a token in use where sharing is off", "beta", (Function<MigrationActivationRulesIT, Case>) t -> t.heldBy(t.beta, true)),
                Arguments.of("a token in use where sharing is on", "alpha", (Function<MigrationActivationRulesIT, Case>) t -> t.heldBy(t.alpha, true)),
                Arguments.of("a token the user deactivated", "alpha", (Function<MigrationActivationRulesIT, Case>) t -> t.deactivatedByTheUser()),
                Arguments.of("a user holding another token", "alpha", (Function<MigrationActivationRulesIT, Case>) t -> t.holdingAnother()),
                Arguments.of("a user holding this token", "alpha", (Function<MigrationActivationRulesIT, Case>) t -> t.holdingThis()));
    }

    Case fresh(OtpApi api, String serial) {
        return new Case(api, "m-" + id(), OtpApi.newContract(), serial);
    }

    Case expired() {
        return fresh(alpha, alpha.token(clock.instant().plus(Duration.ofMinutes(30))));
    }

    Case retired() {
        String serial = beta.token();
        String leaver = beta.user(OtpApi.newContract(), "GENERAL");
        beta.activated(leaver, serial);
        beta.portalPost("/users/{l}/otp/deactivation", Map.of(), leaver).expectStatus().isOk();
        return fresh(beta, serial);
    }

    Case heldBy(OtpApi api, boolean sameContract) {
        String serial = api.token();
        String contract = OtpApi.newContract();
        api.activated(api.user(contract, "GENERAL"), serial);
        clock.advance(Duration.ofSeconds(60));
        return new Case(api, "m-" + id(), sameContract ? contract : OtpApi.newContract(), serial);
    }

    Case deactivatedByTheUser() {
        String serial = alpha.token();
        String contract = OtpApi.newContract();
        String leaver = alpha.user(contract, "GENERAL");
        alpha.activated(leaver, serial);
        clock.advance(Duration.ofSeconds(60)); // the sharer needs the next code of the same key-fob
        alpha.activated(alpha.user(contract, "GENERAL"), serial);
        clock.advance(Duration.ofSeconds(60));
        alpha.portalPost("/users/{l}/otp/deactivation", Map.of("otp", alpha.code()), leaver).expectStatus().isOk();
        clock.advance(Duration.ofSeconds(60));
        return new Case(alpha, leaver, contract, serial);
    }

    Case holdingAnother() {
        String contract = OtpApi.newContract();
        String login = alpha.user(contract, "GENERAL");
        alpha.activated(login, alpha.token());
        clock.advance(Duration.ofSeconds(60));
        return new Case(alpha, login, contract, alpha.token());
    }

    Case holdingThis() {
        String contract = OtpApi.newContract();
        String login = alpha.user(contract, "GENERAL");
        String serial = alpha.token();
        alpha.activated(login, serial);
        clock.advance(Duration.ofSeconds(60));
        return new Case(alpha, login, contract, serial);
    }

    /** The Java rule: an activation of the case's user (registered first when new) with the current code. */
    String byActivation(Case c) {
        if (c.login().startsWith("m-")) {
            http.put().uri("/v1/tenants/{t}/users/{l}", c.api().tenant(), c.login())
                    .headers(h -> h.setBearerAuth(key(c, "portal"))).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("contractId", c.contract(), "name", "移行", "role", "GENERAL"))
                    .exchange().expectStatus().isCreated();
        }
        Map<String, Object> answer = c.api().activate(c.login(), c.serial(), c.api().code())
                .expectBody(JSON).returnResult().getResponseBody();
        return answer.containsKey("code") ? (String) answer.get("code") : "OK";
    }

    /** The SQL: a one-line migration file. */
    @SuppressWarnings("unchecked")
    String byMigrationFile(Case c) {
        String csv = "login_id,contract_id,name,role,serial\n" + c.login() + "," + c.contract() + ",移行,GENERAL,"
                + c.serial() + "\n";
        Map<String, Object> report = http.post().uri("/v1/tenants/{t}/operator/migrations", c.api().tenant())
                .headers(h -> h.setBearerAuth(key(c, "operator"))).contentType(MediaType.parseMediaType("text/csv"))
                .bodyValue(csv).exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        List<Map<String, Object>> errors = (List<Map<String, Object>>) report.get("errors");
        if (!errors.isEmpty()) {
            return (String) errors.get(0).get("code");
        }
        return ((Number) report.get("skipped")).intValue() == 1 ? "ALREADY_ACTIVE" : "OK";
    }

    static String key(Case c, String role) {
        return c.api().tenant() + "-" + role + "-key";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theMigrationFileAndTheActivationAnswerAlike(String name, String tenant,
                                                     Function<MigrationActivationRulesIT, Case> prepare) {
        Case forActivation = prepare.apply(this);
        Case forMigration = prepare.apply(this);
        if (name.equals("an expired token")) {
            clock.advance(Duration.ofHours(1));
        }
        String sql = byMigrationFile(forMigration);
        String java = byActivation(forActivation);
        assertThat(sql).as("the migration file's answer (SQL) against the activation's (Java)").isEqualTo(java);
    }
}
