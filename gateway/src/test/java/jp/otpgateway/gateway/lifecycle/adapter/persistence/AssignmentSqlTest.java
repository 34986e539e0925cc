package jp.otpgateway.gateway.lifecycle.adapter.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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

    /** The last migration that (re)creates each index of the current assignment gives it the Java predicate. */
    @Test
    void thePartialIndexesOfTheCurrentAssignmentCarryTheSamePredicate() throws Exception {
        Path dir = Path.of(getClass().getResource("/db/migration").toURI());
        List<Path> migrations;
        try (Stream<Path> files = Files.list(dir)) {
            migrations = files.filter(f -> f.getFileName().toString().matches("V[0-9]+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(f -> Integer.parseInt(f.getFileName().toString()
                            .substring(1, f.getFileName().toString().indexOf("__")))))
                    .toList();
        }
        for (String index : List.of("assignments_one_current", "assignments_by_serial")) {
            String last = null;
            for (Path m : migrations) {
                Matcher found = Pattern.compile("CREATE (UNIQUE )?INDEX " + index + " ON [^;]*;").matcher(Files.readString(m));
                while (found.find()) {
                    last = found.group();
                }
            }
            assertThat(last).as(index).isNotNull().contains("WHERE state IN " + AssignmentSql.CURRENT_STATES + ";");
        }
    }

    @Test
    void theVerificationPathsSuspendedLiteralIsTheJavaState() {
        assertThat(R2dbcTokens.ABSENCE).contains("state = '" + AssignmentState.SUSPENDED.name() + "'");
    }

    /** The hot path's reads and the preload read the assignment the index assignments_active covers. */
    @Test
    void theHotPathsActiveLiteralIsTheJavaState() {
        for (String sql : List.of(R2dbcTokens.ACTIVE_TOKEN_OF, R2dbcTokens.ACTIVE_TOKENS_OF, R2dbcTokens.ACTIVE_TOKENS_AFTER)) {
            assertThat(sql).contains("a.state = '" + AssignmentState.ACTIVE.name() + "'");
        }
    }
}
