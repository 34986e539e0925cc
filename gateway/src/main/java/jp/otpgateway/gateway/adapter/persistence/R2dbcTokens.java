package jp.otpgateway.gateway.adapter.persistence;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import jp.otpgateway.gateway.application.Tokens;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
public class R2dbcTokens implements Tokens {

    /*
     * One statement per chunk: the rows travel as parallel text arrays and are unnested server-side,
     * so importing tens of thousands of tokens costs tens of round trips, not tens of thousands.
     */
    private static final String INSERT_HARDWARE = """
            INSERT INTO tokens (tenant_id, serial, kind, seed_sealed, algorithm, digits, period_seconds,
                                expires_at, imported_at)
            SELECT :tenant, t.serial, 'HARDWARE', decode(t.seed, 'base64'), t.algorithm, t.digits::smallint,
                   t.period::smallint, t.expires::timestamptz, :now
              FROM unnest(CAST(:serials AS text[]), CAST(:seeds AS text[]), CAST(:algorithms AS text[]),
                          CAST(:digits AS text[]), CAST(:periods AS text[]), CAST(:expires AS text[]))
                   AS t(serial, seed, algorithm, digits, period, expires)
            ON CONFLICT (tenant_id, serial) DO NOTHING
            """;

    private final DatabaseClient db;

    public R2dbcTokens(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Long> insertNewHardware(String tenantId, List<NewToken> tokens, Instant now) {
        int n = tokens.size();
        String[] serials = new String[n];
        String[] seeds = new String[n];
        String[] algorithms = new String[n];
        String[] digits = new String[n];
        String[] periods = new String[n];
        String[] expires = new String[n];
        Base64.Encoder base64 = Base64.getEncoder();
        for (int i = 0; i < n; i++) {
            NewToken t = tokens.get(i);
            serials[i] = t.serial();
            seeds[i] = base64.encodeToString(t.sealedSeed());
            algorithms[i] = t.algorithm().name();
            digits[i] = Integer.toString(t.digits());
            periods[i] = Integer.toString(t.periodSeconds());
            expires[i] = t.expiresAt().atOffset(ZoneOffset.UTC).toString();
        }
        return db.sql(INSERT_HARDWARE)
                .bind("tenant", tenantId)
                .bind("now", now.atOffset(ZoneOffset.UTC))
                .bind("serials", serials)
                .bind("seeds", seeds)
                .bind("algorithms", algorithms)
                .bind("digits", digits)
                .bind("periods", periods)
                .bind("expires", expires)
                .fetch()
                .rowsUpdated();
    }
}
