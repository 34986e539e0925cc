package jp.otpgateway.gateway.lifecycle.adapter.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import jp.otpgateway.gateway.lifecycle.domain.AssignmentState;
import jp.otpgateway.gateway.shared.adapter.persistence.AssignmentSql;
import org.junit.jupiter.api.Test;

/** "The current assignment" is written once in SQL and means what AssignmentState.current() means. */
class AssignmentSqlTest {

    @Test
    void theSqlListIsTheJavaRule() {
        String fromJava = Arrays.stream(AssignmentState.values()).filter(AssignmentState::current)
                .map(s -> "'" + s.name() + "'").collect(Collectors.joining(", ", "(", ")"));
        assertThat(AssignmentSql.CURRENT_STATES).isEqualTo(fromJava);
        assertThat(AssignmentSql.current("a")).isEqualTo("a.state IN " + fromJava);
    }

    @Test
    void thePartialIndexesOfTheCurrentAssignmentCarryTheSamePredicate() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/db/migration/V3__token_lifecycle.sql")) {
            String v3 = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(v3).contains("WHERE state IN " + AssignmentSql.CURRENT_STATES);
        }
    }
}
