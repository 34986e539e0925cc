package jp.otpgateway.gateway.verification.adapter.web;

import io.swagger.v3.oas.annotations.Hidden;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import jp.otpgateway.gateway.custody.application.port.SeedVault;
import jp.otpgateway.gateway.shared.adapter.persistence.Batcher;
import jp.otpgateway.tenant.model.HashAlgorithm;
import jp.otpgateway.gateway.verification.domain.Totp;
import jp.otpgateway.gateway.verification.domain.TotpParameters;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Benchmarks only ({@code otp.benchmark.bare-endpoint=true}, off by default): the ceilings that
 * load-tests/compare.sh measures verification against (issue #16), each the work of an accepted
 * verification and nothing of the gateway's around it (no tenant, key, limits, guard table, lock
 * rules, audit labels, cache invalidation):
 * <ul>
 * <li>{@code /benchmark/redis/{tenant}/{login}}: parse, the user's secret from a map, TOTP ±1 step,
 * one EVALSHA (the step is newer than the last one used);</li>
 * <li>{@code /benchmark/durable/{tenant}/{login}}: the same, then one group-committed PostgreSQL
 * statement writing what an acceptance writes (the token's last used step, an audit row) into
 * tables of the same shape and indexes ({@code benchmark_steps}, {@code benchmark_audit}, made here
 * at start, never by a migration).</li>
 * </ul>
 * A user's secret is read and opened once (the first request of a user is a miss, as in the gateway).
 * 8 digits, 60 s, SHA-1: the load tests' tenants.
 */
@Hidden
@RestController
@ConditionalOnProperty(name = "otp.benchmark.bare-endpoint", havingValue = "true")
public class BenchmarkCeilings implements SmartLifecycle {

    static final TotpParameters PARAMETERS = new TotpParameters(HashAlgorithm.SHA1, 8, Duration.ofSeconds(60), 1);
    static final RedisScript<Long> NEWER = RedisScript.of("""
            local used = redis.call('GET', KEYS[1])
            if used and tonumber(used) >= tonumber(ARGV[1]) then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'EX', 600)
            return 1
            """, Long.class);

    record Secret(String serial, byte[] seed) {
    }

    record Accepted(String tenant, String serial, long step, String login, Instant at) {
    }

    private final DatabaseClient db;
    private final SeedVault vault;
    private final ReactiveStringRedisTemplate redis;
    private final Clock clock;
    private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
    private final Batcher<Accepted, Boolean> writes;
    private volatile boolean running;

    public BenchmarkCeilings(DatabaseClient db, SeedVault vault, ReactiveStringRedisTemplate redis, Clock clock) {
        this.db = db;
        this.vault = vault;
        this.redis = redis;
        this.clock = clock;
        this.writes = new Batcher<>(this::write, 128, 2);
    }

    @Override
    public void start() {
        db.sql("""
                CREATE TABLE IF NOT EXISTS benchmark_steps (tenant_id varchar(32) NOT NULL, serial varchar(12) NOT NULL,
                    last_used_step bigint NOT NULL, PRIMARY KEY (tenant_id, serial))
                """).then()
                .then(db.sql("CREATE TABLE IF NOT EXISTS benchmark_audit (LIKE audit_events INCLUDING DEFAULTS)").then())
                .then(db.sql("ALTER TABLE benchmark_audit DROP CONSTRAINT IF EXISTS benchmark_audit_pkey").then())
                .then(db.sql("ALTER TABLE benchmark_audit ADD PRIMARY KEY (tenant_id, event_id, occurred_at)").then())
                .then(db.sql("CREATE INDEX IF NOT EXISTS benchmark_audit_by_user ON benchmark_audit (tenant_id, login_id, occurred_at)").then())
                .then(db.sql("CREATE INDEX IF NOT EXISTS benchmark_audit_by_serial ON benchmark_audit (tenant_id, serial, occurred_at)").then())
                .block(Duration.ofSeconds(30));
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @PostMapping(path = "/benchmark/redis/{tenant}/{login}", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<VerificationController.VerificationResponse> redisCeiling(@PathVariable String tenant,
                                                                          @PathVariable String login,
                                                                          @RequestBody VerificationController.VerificationRequest body) {
        return accepted(tenant, login, body).map(a -> answer(a.isPresent()));
    }

    @PostMapping(path = "/benchmark/durable/{tenant}/{login}", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<VerificationController.VerificationResponse> durableCeiling(@PathVariable String tenant,
                                                                            @PathVariable String login,
                                                                            @RequestBody VerificationController.VerificationRequest body) {
        return accepted(tenant, login, body)
                .flatMap(a -> a.isEmpty() ? Mono.just(answer(false)) : writes.submit(a.get()).map(this::answer));
    }

    private VerificationController.VerificationResponse answer(boolean accepted) {
        return new VerificationController.VerificationResponse(accepted ? "ACCEPTED" : "REFUSED");
    }

    private Mono<Optional<Accepted>> accepted(String tenant, String login, VerificationController.VerificationRequest body) {
        Instant now = clock.instant();
        return secret(tenant, login).flatMap(secret -> {
            OptionalLong step = Totp.matchingStep(secret.seed(), PARAMETERS, body.otp(), now);
            if (step.isEmpty()) {
                return Mono.just(Optional.<Accepted>empty());
            }
            return redis.execute(NEWER, List.of("otp-ceiling:{" + tenant + ":" + secret.serial() + "}"),
                            List.of(Long.toString(step.getAsLong())))
                    .next().map(newer -> newer == 1L
                            ? Optional.of(new Accepted(tenant, secret.serial(), step.getAsLong(), login, now))
                            : Optional.<Accepted>empty());
        });
    }

    private Mono<Secret> secret(String tenant, String login) {
        String key = tenant + "/" + login;
        Secret known = secrets.get(key);
        if (known != null) {
            return Mono.just(known);
        }
        return db.sql("""
                SELECT t.serial, t.seed_sealed FROM assignments a
                  JOIN tokens t ON t.tenant_id = a.tenant_id AND t.serial = a.serial
                 WHERE a.tenant_id = :tenant AND a.login_id = :login AND a.state = 'ACTIVE'
                """).bind("tenant", tenant).bind("login", login)
                .map(row -> {
                    String serial = row.get("serial", String.class);
                    return new Secret(serial, vault.open(tenant, serial, row.get("seed_sealed", byte[].class)));
                })
                .one()
                .doOnNext(s -> secrets.put(key, s));
    }

    private Mono<List<Optional<Boolean>>> write(List<Accepted> batch) {
        List<String> tenants = new ArrayList<>();
        List<String> serials = new ArrayList<>();
        List<Long> steps = new ArrayList<>();
        List<String> logins = new ArrayList<>();
        List<OffsetDateTime> ats = new ArrayList<>();
        for (Accepted a : batch) {
            tenants.add(a.tenant());
            serials.add(a.serial());
            steps.add(a.step());
            logins.add(a.login());
            ats.add(a.at().atOffset(ZoneOffset.UTC));
        }
        return db.sql("""
                WITH input AS (SELECT * FROM unnest(CAST(:tenants AS text[]), CAST(:serials AS text[]),
                                                     CAST(:steps AS bigint[]), CAST(:logins AS text[]),
                                                     CAST(:ats AS timestamptz[])) AS x(tenant, serial, step, login, at)),
                     used AS (INSERT INTO benchmark_steps AS s (tenant_id, serial, last_used_step)
                              SELECT tenant, serial, step FROM input
                              ON CONFLICT (tenant_id, serial) DO UPDATE SET last_used_step = EXCLUDED.last_used_step
                              WHERE s.last_used_step < EXCLUDED.last_used_step)
                INSERT INTO benchmark_audit (tenant_id, occurred_at, login_id, serial, operation, outcome, client)
                SELECT tenant, at, login, serial, 'LOGIN', 'ACCEPTED', 'benchmark' FROM input
                """)
                .bind("tenants", tenants.toArray(String[]::new)).bind("serials", serials.toArray(String[]::new))
                .bind("steps", steps.toArray(Long[]::new)).bind("logins", logins.toArray(String[]::new))
                .bind("ats", ats.toArray(OffsetDateTime[]::new))
                .fetch().rowsUpdated()
                .map(n -> {
                    List<Optional<Boolean>> all = new ArrayList<>(batch.size());
                    batch.forEach(a -> all.add(Optional.of(true)));
                    return all;
                });
    }
}
