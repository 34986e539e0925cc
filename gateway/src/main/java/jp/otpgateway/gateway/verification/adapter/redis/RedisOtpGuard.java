package jp.otpgateway.gateway.verification.adapter.redis;

import jp.otpgateway.gateway.shared.adapter.redis.GuardConnection;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.verification.application.port.OtpGuard;
import jp.otpgateway.gateway.config.OtpProperties;
import jp.otpgateway.gateway.verification.domain.GuardVerdict;
import jp.otpgateway.gateway.verification.domain.TokenState;
import org.springframework.core.io.ClassPathResource;
import reactor.core.publisher.Mono;

/**
 * The guard in Redis: one Lua script per attempt (EVALSHA, one round trip), so the lock, replay and
 * failure rules are decided atomically even for many parallel requests and for users sharing a
 * token. The key carries the hash tag {tenant:serial}: in a Redis Cluster every key of one token is
 * in one slot.
 */
public class RedisOtpGuard implements OtpGuard {

    static final String SCRIPT = load("redis/otp-attempt.lua");
    static final String SHA = sha1(SCRIPT);
    /** The script's marker for "no durable state with this call". */
    private static final String UNKNOWN = "?";

    private final GuardConnection redis;
    private final StoreCalls stores;
    private final String ttlSeconds;

    public RedisOtpGuard(GuardConnection redis, StoreCalls stores, OtpProperties properties) {
        this.redis = redis;
        this.stores = stores;
        this.ttlSeconds = Long.toString(properties.guard().stateTtl().toSeconds());
    }

    public static String key(String tenantId, String serial) {
        return "otp:{" + tenantId + ":" + serial + "}:state";
    }

    @Override
    public Mono<GuardVerdict> attempt(String tenantId, String serial, TokenState durable, long matchedStep,
                                      int maxFailures) {
        return run(tenantId, serial, new String[] {durable.locked() ? "1" : "0", Integer.toString(durable.failures()),
            Long.toString(durable.lastUsedStep()), Long.toString(durable.version()), Long.toString(matchedStep),
            Integer.toString(maxFailures), ttlSeconds});
    }

    @Override
    public Mono<GuardVerdict> attemptOnHeldState(String tenantId, String serial, long knownVersion, long matchedStep,
                                                 int maxFailures) {
        return run(tenantId, serial, new String[] {UNKNOWN, UNKNOWN, UNKNOWN, Long.toString(knownVersion),
            Long.toString(matchedStep), Integer.toString(maxFailures), ttlSeconds});
    }

    private Mono<GuardVerdict> run(String tenantId, String serial, String[] args) {
        String[] keys = {key(tenantId, serial)};
        Mono<List<Object>> call = redis.get().flatMap(c -> c
                .<List<Object>>evalsha(SHA, ScriptOutputType.MULTI, keys, args).next()
                // After a Redis restart the script cache is empty: send the script itself once.
                .onErrorResume(RedisNoScriptException.class, e -> c
                        .<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys, args).next()));
        return stores.redis(call).mapNotNull(RedisOtpGuard::verdict);
    }

    /** The decision, or null when the script needs the durable state ({NEED_STATE}). */
    private static GuardVerdict verdict(List<?> reply) {
        if (reply.size() == 1) {
            return null;
        }
        return new GuardVerdict(GuardVerdict.Outcome.valueOf(reply.get(0).toString()),
                Integer.parseInt(reply.get(1).toString()),
                "1".equals(reply.get(2).toString()),
                Long.parseLong(reply.get(3).toString()),
                Long.parseLong(reply.get(4).toString()));
    }

    private static String load(String path) {
        try (var in = new ClassPathResource(path).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String script) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
