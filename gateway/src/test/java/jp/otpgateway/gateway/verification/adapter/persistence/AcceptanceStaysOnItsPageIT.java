package jp.otpgateway.gateway.verification.adapter.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OwnSession;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An accepted code rewrites its token's row (ACCEPT). That stays a HOT update, on the row's own page
 * and without a new entry in any index of {@code tokens}, on two conditions that this class checks
 * against the real schema: no column the acceptance sets is indexed (nor named in an index's
 * predicate), and a page filled by a bulk load keeps room for the next versions of its rows (V18,
 * fillfactor 80). At the default fillfactor of 100, a user's first acceptance after a delivery file
 * moved the row to another page (issue #16).
 */
@IntegrationTest
class AcceptanceStaysOnItsPageIT extends TwoTenantsTest {

    private static final int LOADED = 400;
    private static final int EVERY = 8;

    @Autowired
    DatabaseClient db;

    @Autowired
    OwnSession session;

    /** The columns the acceptance's UPDATE of tokens sets, read from the statement itself. */
    static List<String> columnsTheAcceptanceSets() {
        Matcher update = Pattern.compile("UPDATE tokens t SET (.*?)\\s+FROM", Pattern.DOTALL)
                .matcher(R2dbcOtpAttempts.ACCEPT);
        assertThat(update.find()).as("ACCEPT updates tokens").isTrue();
        Matcher column = Pattern.compile("(?:^|,)\\s*(\\w+)\\s*=").matcher(update.group(1));
        List<String> columns = new ArrayList<>();
        while (column.find()) {
            columns.add(column.group(1));
        }
        return columns;
    }

    @Test
    void noColumnTheAcceptanceSetsIsIndexed() {
        List<String> sets = columnsTheAcceptanceSets();
        assertThat(sets).containsExactly("last_used_step", "failure_count", "drift_steps", "drift_below");
        List<String> indexes = db.sql("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'tokens'")
                .map(row -> row.get(0, String.class)).all().collectList().block(Duration.ofSeconds(5));
        assertThat(indexes).isNotEmpty().allSatisfy(index -> sets.forEach(column ->
                assertThat(index).as("an index of tokens names %s, which every acceptance sets", column)
                        .doesNotContainPattern("\\b" + column + "\\b")));
    }

    @Test
    void aPageFilledByABulkLoadKeepsRoomForItsRowsFirstAcceptance() {
        String prototype = alpha.token();
        String prefix = "9" + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
        String ours = "tenant_id = '" + alpha.tenant() + "' AND serial LIKE '" + prefix + "%'";
        String picked = ours + " AND right(serial, 5)::int % " + EVERY + " = 0";
        String sets = String.join(", ", columnsTheAcceptanceSets().stream().map(c -> c + " = " + c).toList());

        List<String> counts = session.rolledBack(c -> Flux.concat(
                // A delivery file's worth of tokens as one INSERT writes them, each as wide as a real one.
                OwnSession.run(c, "INSERT INTO tokens SELECT (jsonb_populate_record(NULL::tokens, to_jsonb(t) "
                        + "|| jsonb_build_object('serial', '" + prefix + "' || lpad(g::text, 5, '0')))).* "
                        + "FROM tokens t, generate_series(1, " + LOADED + ") g "
                        + "WHERE t.tenant_id = '" + alpha.tenant() + "' AND t.serial = '" + prototype + "'")
                        .then(Mono.<String>empty()),
                OwnSession.run(c, "CREATE TEMP TABLE loaded ON COMMIT DROP AS "
                        + "SELECT serial, (ctid::text::point)[0] AS page FROM tokens WHERE " + ours).then(Mono.<String>empty()),
                // Every eighth user's first accepted code: about five rows of each page, as the acceptance sets them.
                OwnSession.run(c, "UPDATE tokens SET " + sets + " WHERE " + picked).then(Mono.<String>empty()),
                OwnSession.lines(c, "SELECT (SELECT count(*) FROM loaded)::text || ' ' || count(*)::text || ' ' "
                        + "|| count(*) FILTER (WHERE (t.ctid::text::point)[0] <> l.page)::text "
                        + "FROM tokens t JOIN loaded l USING (serial) WHERE " + picked)));

        assertThat(counts).hasSize(1);
        String[] loadedUpdatedMoved = counts.get(0).split(" ");
        assertThat(loadedUpdatedMoved[0]).isEqualTo(Integer.toString(LOADED));
        assertThat(loadedUpdatedMoved[1]).isEqualTo(Integer.toString(LOADED / EVERY));
        assertThat(loadedUpdatedMoved[2]).as("rows the acceptance moved to another page").isEqualTo("0");
    }
}
