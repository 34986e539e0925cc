package jp.otpgateway.gateway.onboarding.application.port;

import java.time.Instant;
import java.util.List;
import jp.otpgateway.gateway.onboarding.domain.UserMigrationCsv;
import reactor.core.publisher.Flux;

/** Port: users who come from another platform with the hardware token they already use. */
public interface UserMigrations {

    /** What became of one line that was not imported: SKIPPED (already so) or an error code. */
    record Outcome(long line, String code) {
    }

    /**
     * Creates the users (and contracts) and their ACTIVE hold of the token, and audits each as
     * MIGRATION, in one statement; answers the lines that were not imported and why.
     */
    Flux<Outcome> importChunk(String tenantId, List<UserMigrationCsv.MigratedUser> users, boolean sharing, String client,
                              Instant now);
}
