package jp.otpgateway.gateway.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.otpgateway.gateway.lifecycle.application.port.Tokens;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import jp.otpgateway.gateway.shared.adapter.redis.GuardConnection;
import jp.otpgateway.gateway.verification.adapter.redis.RedisOtpGuard;
import jp.otpgateway.gateway.verification.application.port.OtpAttempts;
import jp.otpgateway.gateway.verification.application.port.OtpGuard;
import jp.otpgateway.gateway.verification.domain.Drift;
import jp.otpgateway.gateway.verification.domain.GuardRules;
import jp.otpgateway.gateway.verification.domain.GuardTable;
import jp.otpgateway.gateway.verification.domain.GuardVerdict;
import jp.otpgateway.gateway.verification.domain.TokenState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The guard table of GuardRules, row by row, through the three places its rules live: the Java rules,
 * the Lua script on the real Redis (through RedisOtpGuard, as a verification calls it) and the
 * statements of R2dbcOtpAttempts on the real PostgreSQL (through OtpAttempts.persist). Each event
 * is decided by the script on the durable state read back from PostgreSQL, exactly as the gateway
 * does, and every verdict, every stored outcome and the durable row after each event must equal what
 * the Java rules say. A deliberate change to any of the three makes a row fail.
 */
@IntegrationTest
class GuardTableIT extends TwoTenantsTest {

    @Autowired
    OtpGuard guard;

    @Autowired
    OtpAttempts attempts;

    @Autowired
    Tokens tokens;

    @Autowired
    GuardConnection redis;

    @Autowired
    DatabaseClient db;

    static java.util.stream.Stream<GuardTable.Row> rows() {
        return GuardTable.rows();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void javaLuaAndSqlAgreeOnEveryRow(GuardTable.Row row) {
        String serial = alpha.token();
        String login = alpha.user(jp.otpgateway.gateway.support.OtpApi.newContract(), "GENERAL");
        GuardRules.State start = row.start();
        db.sql("UPDATE tokens SET locked = :locked, failure_count = :failures, last_used_step = :last, "
                        + "state_version = :version WHERE tenant_id = :tenant AND serial = :serial")
                .bind("locked", start.locked()).bind("failures", start.failures()).bind("last", start.lastStep())
                .bind("version", start.version()).bind("tenant", alpha.tenant()).bind("serial", serial)
                .fetch().rowsUpdated().block(Duration.ofSeconds(5));
        String key = RedisOtpGuard.key(alpha.tenant(), serial);
        var commands = redis.get().block(Duration.ofSeconds(5));
        commands.del(key).block(Duration.ofSeconds(5));
        row.held().ifPresent(h -> commands.hset(key, Map.of("locked", h.locked() ? "1" : "0",
                "failures", Integer.toString(h.failures()), "last", Long.toString(h.lastStep()),
                "v", Long.toString(h.version()))).block(Duration.ofSeconds(5)));

        Optional<GuardRules.State> javaHeld = row.held();
        GuardRules.State javaDurable = start;
        List<GuardVerdict.Outcome> outcomes = new java.util.ArrayList<>();
        for (GuardTable.Event event : row.events()) {
            if (event.kind().equals("unlock")) {
                tokens.unlock(alpha.tenant(), List.of(serial)).collectList().block(Duration.ofSeconds(5));
                javaDurable = GuardRules.unlock(javaDurable);
                assertThat(durable(serial)).as("after the unlock").isEqualTo(javaDurable);
                continue;
            }
            GuardRules.Decision expected = GuardRules.decide(GuardRules.adopt(javaHeld, javaDurable), event.step(),
                    row.max());
            GuardRules.State stored = durable(serial);
            GuardVerdict lua = guard.attempt(alpha.tenant(), serial, new TokenState(stored.locked(), stored.failures(),
                    stored.lastStep(), stored.version()), event.step(), row.max()).block(Duration.ofSeconds(5));
            assertThat(lua).as("the script's verdict on %s", event).isEqualTo(expected.verdict());

            GuardVerdict.Outcome standing = attempts.persist(new OtpAttempts.Attempt(alpha.tenant(), login, serial,
                    "LOGIN", "guard-table", Instant.now(), lua, event.step(), false, Optional.empty(), Drift.NONE))
                    .block(Duration.ofSeconds(5));
            GuardRules.Decision persisted = GuardRules.persist(javaDurable, expected.verdict());
            assertThat(standing).as("the outcome the statements let stand for %s", event).isEqualTo(persisted.outcome());
            javaHeld = Optional.of(expected.after());
            javaDurable = persisted.after();
            assertThat(durable(serial)).as("the durable row after %s", event).isEqualTo(javaDurable);
            outcomes.add(standing);
        }
        assertThat(outcomes).isEqualTo(row.outcomes());
        assertThat(javaDurable).isEqualTo(row.end());
    }

    private GuardRules.State durable(String serial) {
        Map<String, Object> row = db.sql("SELECT locked, failure_count, last_used_step, state_version FROM tokens "
                        + "WHERE tenant_id = :tenant AND serial = :serial")
                .bind("tenant", alpha.tenant()).bind("serial", serial).fetch().one().block(Duration.ofSeconds(5));
        return new GuardRules.State((Boolean) row.get("locked"), ((Number) row.get("failure_count")).intValue(),
                ((Number) row.get("last_used_step")).longValue(), ((Number) row.get("state_version")).longValue());
    }
}
