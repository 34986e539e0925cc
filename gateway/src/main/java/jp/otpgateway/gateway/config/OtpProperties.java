package jp.otpgateway.gateway.config;


import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The gateway's own settings ({@code otp.*}); every one can be set by environment, e.g.
 * {@code OTP_TENANTS_DIR}, {@code OTP_HTTP_MAX_BODY_SIZE}.
 */
@ConfigurationProperties("otp")
public record OtpProperties(@DefaultValue Tenants tenants, @DefaultValue Http http, @DefaultValue Crypto crypto,
                            @DefaultValue Resilience resilience, @DefaultValue Guard guard,
                            @DefaultValue Idempotency idempotency, @DefaultValue Software software,
                            @DefaultValue Mail mail, @DefaultValue HotPath hotPath) {

    /** Where tenant files live and how often the directory is rescanned besides file-system events. */
    public record Tenants(@DefaultValue("tenant-config/tenants") Path dir,
                          @DefaultValue("30s") Duration rescanInterval) {
    }

    /**
     * Key custody (docs/custody.md). Each tenant's seeds are sealed with its own data keys, which are
     * wrapped by a key-encryption key (KEK): in production an AES key held by a PKCS#11 HSM
     * ({@code pkcs11.library} set); without one, the Tink keyset file {@code seedKeysetFile} serves
     * as a DEVELOPMENT KEK (a warning at start). The file also opens seeds sealed with it directly by
     * earlier versions, until their re-seal to the tenants' keys. {@code generateDevelopmentKeyset}
     * creates the file when it is missing (run command, tests only).
     */
    public record Crypto(Path seedKeysetFile, @DefaultValue("false") boolean generateDevelopmentKeyset,
                         Path auditKeysetFile, @DefaultValue Pkcs11 pkcs11, @DefaultValue DataKeys dataKeys) {

        /** Settings with only the keyset files (tests): no HSM, data keys' defaults. */
        public static Crypto ofFiles(Path seedKeysetFile, boolean generateDevelopmentKeyset, Path auditKeysetFile) {
            return new Crypto(seedKeysetFile, generateDevelopmentKeyset, auditKeysetFile,
                    new Pkcs11(null, null, 0, null, null, null),
                    new DataKeys(Duration.ofSeconds(30), Duration.ofSeconds(5), 1000, Duration.ofMinutes(10)));
        }
    }

    /**
     * The HSM that holds the KEK, through Java's SunPKCS11 provider: the vendor's PKCS#11 library,
     * the token's {@code slot} ID (or its index in the slot list), the user PIN (from {@code pinFile}
     * when set, never logged) and the label of the AES key.
     */
    public record Pkcs11(Path library, Long slot, @DefaultValue("0") int slotListIndex, String pin, Path pinFile,
                         String keyLabel) {
    }

    /**
     * Data keys' life: a rotated key starts sealing {@code propagation} after it is made; every
     * instance reads the keys every {@code refresh} (at most half of {@code propagation}); the
     * re-seal rewrites {@code resealBatch} seeds per transaction; a shredding's confirmation code
     * holds for {@code destructionConfirmation}.
     */
    public record DataKeys(@DefaultValue("30s") Duration propagation, @DefaultValue("5s") Duration refresh,
                           @DefaultValue("1000") int resealBatch, @DefaultValue("10m") Duration destructionConfirmation) {

        public DataKeys {
            if (refresh.compareTo(propagation.dividedBy(2)) > 0) {
                throw new IllegalArgumentException("otp.crypto.data-keys.refresh must be at most half of propagation");
            }
            if (resealBatch < 1 || resealBatch > 10_000) {
                throw new IllegalArgumentException("otp.crypto.data-keys.reseal-batch must be 1..10000");
            }
        }
    }

    /** Largest request body accepted (413 beyond); token delivery files may be larger. */
    public record Http(@DefaultValue("64KB") DataSize maxBodySize, @DefaultValue("32MB") DataSize maxImportSize) {
    }

    /**
     * Time limits per store call and how long a circuit breaker stays open before it tries again.
     * A store slower than its limit is treated as down: 503, nothing accepted. {@code postgresBulkTimeout}:
     * one chunk statement of an operator's file import.
     */
    public record Resilience(@DefaultValue("1s") Duration redisTimeout,
                             @DefaultValue("3s") Duration postgresTimeout,
                             @DefaultValue("5s") Duration openDuration,
                             @DefaultValue("60s") Duration postgresBulkTimeout) {
    }

    /** How long Redis keeps a token's guard state after its last attempt; PostgreSQL rebuilds it later. */
    public record Guard(@DefaultValue("30d") Duration stateTtl) {
    }

    /**
     * {@code Idempotency-Key} (docs/api.md): how long a first answer is kept for retries ({@code ttl});
     * how long an unanswered claim blocks its key when its instance died ({@code lease}); how long a
     * retry waits for a parallel first request before 409 IDEMPOTENCY_KEY_IN_USE ({@code maxWait});
     * how often expired records are deleted.
     */
    public record Idempotency(@DefaultValue("24h") Duration ttl,
                              @DefaultValue("60s") Duration lease,
                              @DefaultValue("10s") Duration maxWait,
                              @DefaultValue("10m") Duration purgeInterval) {

        public Idempotency {
            if (lease.isNegative() || lease.isZero() || maxWait.isNegative() || maxWait.isZero() || ttl.compareTo(lease) < 0) {
                throw new IllegalArgumentException("otp.idempotency: lease and maxWait must be positive and ttl at least"
                        + " the lease; got ttl=" + ttl + ", lease=" + lease + ", maxWait=" + maxWait);
            }
        }
    }

    /**
     * Software tokens (R2). {@code passwordHashIterations}: PBKDF2-HMAC-SHA256 rounds of the activation
     * password hash (OWASP 2023: 600,000); {@code passwordHashThreads}: threads that may hash at once,
     * so a flood of setups cannot take every core from verification. {@code setupsPerMinute}: app
     * setups one client address may start per minute (429 beyond).
     */
    public record Software(@DefaultValue("600000") int passwordHashIterations,
                           @DefaultValue("2") int passwordHashThreads,
                           @DefaultValue("10") int setupsPerMinute) {

        public Software {
            if (passwordHashIterations < 1000 || passwordHashThreads < 1 || setupsPerMinute < 1) {
                throw new IllegalArgumentException("otp.software: passwordHashIterations >= 1000, passwordHashThreads"
                        + " >= 1 and setupsPerMinute >= 1; got " + passwordHashIterations + ", " + passwordHashThreads
                        + ", " + setupsPerMinute);
            }
        }
    }

    /**
     * Mail delivery from the outbox (SMTP settings are Spring's {@code spring.mail.*}).
     * {@code enabled}: whether this instance sends (every instance may; rows are leased).
     * {@code pollInterval}: how often due mails are looked for; {@code batchSize}: mails per poll;
     * {@code lease}: how long a claimed mail is this instance's before another may take it over;
     * {@code firstRetry}, doubled per attempt up to {@code maxRetryDelay}; after {@code maxAttempts}
     * the mail is FAILED. {@code expiryNoticeInterval}: how often the R13 expiry notices are queued.
     */
    public record Mail(@DefaultValue("true") boolean enabled,
                       @DefaultValue("5s") Duration pollInterval,
                       @DefaultValue("50") int batchSize,
                       @DefaultValue("2m") Duration lease,
                       @DefaultValue("30s") Duration firstRetry,
                       @DefaultValue("1h") Duration maxRetryDelay,
                       @DefaultValue("30") int maxAttempts,
                       @DefaultValue("1h") Duration expiryNoticeInterval) {

        // Validated where it is used, at start: mail.domain.DeliverySchedule (MailConfiguration).
    }

    /**
     * The verification path's statements are batched (group commit): requests that arrive while a
     * statement runs go together in the next one, up to {@code maxBatch}; {@code readsInFlight} and
     * {@code writesInFlight} statements of each kind run at the same time. The users' active tokens
     * are kept in memory ({@code tokenCacheSize} users at most, each for {@code tokenCacheTtl}; 0
     * turns the cache off) while the instance hears PostgreSQL's change announcements; the
     * announcement connection is checked every {@code invalidationHeartbeat}. With {@code preload},
     * the cache is filled with every tenant's active tokens whenever listening starts and renewed
     * before the entries expire, so that a user's first request of the day is served from memory.
     */
    public record HotPath(@DefaultValue("128") int maxBatch,
                          @DefaultValue("4") int readsInFlight,
                          @DefaultValue("2") int writesInFlight,
                          @DefaultValue("500000") long tokenCacheSize,
                          @DefaultValue("1h") Duration tokenCacheTtl,
                          @DefaultValue("5s") Duration invalidationHeartbeat,
                          @DefaultValue("true") boolean preload) {

        public HotPath {
            if (maxBatch < 1 || readsInFlight < 1 || writesInFlight < 1) {
                throw new IllegalArgumentException("otp.hot-path: maxBatch, readsInFlight and writesInFlight >= 1");
            }
            if (tokenCacheSize < 0 || !positive(tokenCacheTtl) || !positive(invalidationHeartbeat)) {
                throw new IllegalArgumentException("otp.hot-path: tokenCacheSize >= 0 (0 = off), a positive"
                        + " tokenCacheTtl and invalidationHeartbeat");
            }
        }

        private static boolean positive(Duration d) {
            return !d.isNegative() && !d.isZero();
        }
    }
}
