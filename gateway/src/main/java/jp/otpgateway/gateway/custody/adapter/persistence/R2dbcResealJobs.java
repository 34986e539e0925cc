package jp.otpgateway.gateway.custody.adapter.persistence;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import jp.otpgateway.gateway.custody.application.port.ResealJobs;
import jp.otpgateway.gateway.custody.application.port.SeedVault;
import jp.otpgateway.gateway.shared.adapter.persistence.Rows;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code reseal_jobs} (V14) and the rewrite of sealed secrets in {@code tokens} and {@code
 * pskc_keys}. The seeds are walked in serial order on the primary key (tenant_id, serial), so each
 * batch starts where the last ended whatever the statistics say; the prefix test is
 * custody/domain/KeyRing.prefixHex's.
 */
@Repository
public class R2dbcResealJobs implements ResealJobs {

    private static final String JOB_COLUMNS = "tenant_id, key_id, after_serial, resealed, started_at, finished_at";

    static final String SEEDS_NOT_UNDER = """
            SELECT serial, seed_sealed FROM tokens
             WHERE tenant_id = :tenant AND serial > :after
               AND encode(substring(seed_sealed FROM 1 FOR 5), 'hex') <> :prefix
             ORDER BY serial LIMIT :limit""";

    private final DatabaseClient db;
    private final StoreCalls stores;
    private final TransactionalOperator transaction;

    public R2dbcResealJobs(DatabaseClient db, StoreCalls stores, TransactionalOperator transaction) {
        this.db = db;
        this.stores = stores;
        this.transaction = transaction;
    }

    @Override
    public Mono<Void> start(String tenantId, long keyId, Instant at) {
        return stores.postgres(db.sql("""
                        INSERT INTO reseal_jobs (tenant_id, key_id, started_at) VALUES (:tenant, :key, :at)
                        ON CONFLICT (tenant_id) DO UPDATE SET key_id = EXCLUDED.key_id, after_serial = '', resealed = 0,
                            started_at = EXCLUDED.started_at, finished_at = NULL, lease_owner = NULL, lease_until = NULL""")
                .bind("tenant", tenantId).bind("key", keyId).bind("at", Rows.time(at)).fetch().rowsUpdated()).then();
    }

    @Override
    public Mono<Optional<Job>> of(String tenantId) {
        return stores.postgres(db.sql("SELECT " + JOB_COLUMNS + " FROM reseal_jobs WHERE tenant_id = :tenant")
                .bind("tenant", tenantId).map(R2dbcResealJobs::job).one().map(Optional::of).defaultIfEmpty(Optional.empty()));
    }

    @Override
    public Mono<Optional<Job>> claim(String owner, Instant now, Instant leaseUntil) {
        return stores.postgres(db.sql("""
                        UPDATE reseal_jobs SET lease_owner = :owner, lease_until = :until
                         WHERE tenant_id = (
                            SELECT j.tenant_id FROM reseal_jobs j
                             WHERE j.finished_at IS NULL AND (j.lease_until IS NULL OR j.lease_until < :now)
                               AND EXISTS (SELECT 1 FROM data_keys k WHERE k.tenant_id = j.tenant_id
                                              AND k.key_id = j.key_id AND k.primary_from <= :now)
                             ORDER BY j.started_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                        RETURNING\s""" + JOB_COLUMNS)
                .bind("owner", owner).bind("until", Rows.time(leaseUntil)).bind("now", Rows.time(now))
                .map(R2dbcResealJobs::job).one().map(Optional::of).defaultIfEmpty(Optional.empty()));
    }

    private static Job job(io.r2dbc.spi.Readable row) {
        return new Job(row.get("tenant_id", String.class), Rows.number(row, "key_id"), row.get("after_serial", String.class),
                Rows.number(row, "resealed"), Rows.instant(row, "started_at"), Rows.optionalInstant(row, "finished_at"));
    }

    @Override
    public Flux<Sealed> seedsNotUnder(String tenantId, String prefixHex, String afterSerial, int limit) {
        return stores.postgresBulk(db.sql(SEEDS_NOT_UNDER)
                .bind("tenant", tenantId).bind("after", afterSerial).bind("prefix", prefixHex).bind("limit", limit)
                .map(row -> new Sealed(row.get("serial", String.class), Rows.bytes(row, "seed_sealed"))).all());
    }

    @Override
    public Flux<Sealed> pskcKeysNotUnder(String tenantId, String prefixHex) {
        return stores.postgres(db.sql("""
                        SELECT name, key_sealed FROM pskc_keys
                         WHERE tenant_id = :tenant AND encode(substring(key_sealed FROM 1 FOR 5), 'hex') <> :prefix""")
                .bind("tenant", tenantId).bind("prefix", prefixHex)
                .map(row -> new Sealed(SeedVault.PSKC_KEY_SUBJECT + row.get("name", String.class),
                        Rows.bytes(row, "key_sealed"))).all());
    }

    @Override
    public Mono<Long> countNotUnder(String tenantId, String prefixHex) {
        return stores.postgresBulk(db.sql("""
                        SELECT (SELECT count(*) FROM tokens WHERE tenant_id = :tenant
                                   AND encode(substring(seed_sealed FROM 1 FOR 5), 'hex') <> :prefix)
                             + (SELECT count(*) FROM pskc_keys WHERE tenant_id = :tenant
                                   AND encode(substring(key_sealed FROM 1 FOR 5), 'hex') <> :prefix) AS n""")
                .bind("tenant", tenantId).bind("prefix", prefixHex).map(row -> Rows.number(row, "n")).one());
    }

    @Override
    public Mono<Boolean> write(String tenantId, List<Resealed> seeds, List<Resealed> pskcKeys, String afterSerial,
                               String owner, Instant leaseUntil) {
        Mono<Long> advance = stores.postgres(db.sql("""
                        UPDATE reseal_jobs SET after_serial = :after, resealed = resealed + :n, lease_until = :until
                         WHERE tenant_id = :tenant AND lease_owner = :owner AND finished_at IS NULL""")
                .bind("tenant", tenantId).bind("after", afterSerial).bind("n", (long) seeds.size() + pskcKeys.size())
                .bind("until", Rows.time(leaseUntil)).bind("owner", owner).fetch().rowsUpdated());
        Mono<Long> writeSeeds = seeds.isEmpty() ? Mono.just(0L) : stores.postgresBulk(db.sql("""
                        UPDATE tokens t SET seed_sealed = decode(v.after, 'hex')
                          FROM unnest(CAST(:subjects AS text[]), CAST(:befores AS text[]), CAST(:afters AS text[]))
                               AS v(serial, before, after)
                         WHERE t.tenant_id = :tenant AND t.serial = v.serial AND t.seed_sealed = decode(v.before, 'hex')""")
                .bind("tenant", tenantId).bind("subjects", column(seeds, Resealed::subject))
                .bind("befores", column(seeds, r -> HexFormat.of().formatHex(r.before())))
                .bind("afters", column(seeds, r -> HexFormat.of().formatHex(r.after())))
                .fetch().rowsUpdated());
        Mono<Long> writeKeys = Flux.fromIterable(pskcKeys).concatMap(r -> stores.postgres(db.sql("""
                        UPDATE pskc_keys SET key_sealed = :after
                         WHERE tenant_id = :tenant AND name = :name AND key_sealed = :before""")
                .bind("tenant", tenantId).bind("name", r.subject().substring(SeedVault.PSKC_KEY_SUBJECT.length()))
                .bind("before", r.before()).bind("after", r.after()).fetch().rowsUpdated())).reduce(0L, Long::sum);
        // The cursor first: a lost lease writes nothing.
        return advance.flatMap(n -> n == 0 ? Mono.just(false) : writeSeeds.then(writeKeys).thenReturn(true))
                .as(transaction::transactional);
    }

    private static String[] column(List<Resealed> rows, Function<Resealed, String> field) {
        return rows.stream().map(field).toArray(String[]::new);
    }

    @Override
    public Mono<Void> finish(String tenantId, String owner, Instant at) {
        return stores.postgres(db.sql("""
                        UPDATE reseal_jobs SET finished_at = :at, lease_owner = NULL, lease_until = NULL
                         WHERE tenant_id = :tenant AND lease_owner = :owner""")
                .bind("tenant", tenantId).bind("owner", owner).bind("at", Rows.time(at)).fetch().rowsUpdated()).then();
    }

    @Override
    public Mono<Void> cancel(String tenantId) {
        return stores.postgres(db.sql("DELETE FROM reseal_jobs WHERE tenant_id = :tenant")
                .bind("tenant", tenantId).fetch().rowsUpdated()).then();
    }
}
