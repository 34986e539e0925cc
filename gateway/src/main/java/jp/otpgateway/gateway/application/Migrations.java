package jp.otpgateway.gateway.application;

import java.time.Instant;
import java.util.List;
import jp.otpgateway.gateway.domain.token.MigrationCsv;
import reactor.core.publisher.Flux;

/** Port: users who come from another platform with the hardware token they already use. */
public interface Migrations {

    /** What became of one line that was not imported: SKIPPED (already so) or an error code. */
    record Outcome(long line, String code) {
    }

    /**
     * Creates the users (and contracts) and their ACTIVE hold of the token, and audits each as
     * MIGRATION, in one statement; answers the lines that were not imported and why.
     */
    Flux<Outcome> importChunk(String tenantId, List<MigrationCsv.MigratedUser> users, boolean sharing, String client,
                              Instant now);
}
