package jp.otpgateway.gateway.verification.application;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import io.micrometer.core.instrument.DistributionSummary;
import jp.otpgateway.gateway.verification.domain.Drift;
import jp.otpgateway.gateway.custody.application.port.SeedVault;
import jp.otpgateway.gateway.verification.application.port.ActiveTokens;
import jp.otpgateway.gateway.verification.application.port.ActiveTokenCache;
import jp.otpgateway.gateway.verification.application.port.OtpAttempts;
import jp.otpgateway.gateway.verification.application.port.OtpGuard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.gateway.verification.domain.GuardVerdict;
import jp.otpgateway.gateway.verification.domain.Totp;
import jp.otpgateway.gateway.verification.domain.TotpParameters;
import jp.otpgateway.gateway.verification.domain.TokenRecord;
import jp.otpgateway.gateway.shared.domain.Identifiers;
import jp.otpgateway.gateway.shared.domain.Validation;
import jp.otpgateway.gateway.verification.domain.OtpFields;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Use case: an OTP is checked for a user (POST …/otp/verification), and the same path serves every
 * other call that needs a current code (activation, reissue, deactivation, revocation): one lock,
 * one replay state and one audit trail per token (R1, R7). Never retried automatically: a retry
 * could count a failure twice or report the caller's own success as a replay.
 */
@Service
public class VerifyingOtp {

    /**
     * POST …/otp/verification as the portal sends it, read strictly: the login ID, the code (R1:
     * 半角数字; full-width digits only where the tenant allows) and one of the tenant's operations.
     * Every invalid field is reported at once ({@code InvalidInput}, 400).
     */
    public record Command(String loginId, String otp, String operation, String client) {

        public static Command of(TenantConfig tenant, String loginId, String otp, String operation, String client) {
            Validation v = new Validation();
            String login = Identifiers.loginId(v, "loginId", loginId);
            String code = OtpFields.otp(v, "otp", otp, tenant.otp().normalizeFullWidthDigits());
            String op = OtpFields.operation(v, "operation", operation, tenant.operations().keySet());
            v.throwIfAny();
            return new Command(login, code, op, client);
        }
    }

    /** A code accepted for a token at a time step; {@code driftSteps}: where the token's window is centred after it. */
    public record Accepted(String serial, long step, int driftSteps) {
    }

    /** Where the token of an attempt came from: what the guard and the write may rely on. */
    private enum Source {
        /** Given by the caller with its durable state (activation, reissue, deactivation, revocation). */
        GIVEN,
        /** The user's active token, just read from PostgreSQL. */
        READ,
        /** The user's active token from memory: fixed facts and state version only. */
        CACHED
    }

    private final ActiveTokens tokens;
    private final ActiveTokenCache cache;
    private final SeedVault vault;
    private final OtpGuard guard;
    private final OtpAttempts attempts;
    private final Clock clock;
    private final MeterRegistry meters;
    /** otp.verifications by "tenant outcome": looked up once, not per verification. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public VerifyingOtp(ActiveTokens tokens, ActiveTokenCache cache, SeedVault vault, OtpGuard guard,
                        OtpAttempts attempts, Clock clock, MeterRegistry meters) {
        this.tokens = tokens;
        this.cache = cache;
        this.vault = vault;
        this.guard = guard;
        this.attempts = attempts;
        this.clock = clock;
        this.meters = meters;
    }

    public Mono<Outcome<Accepted>> verify(TenantConfig tenant, Command command) {
        return verifyUser(tenant, command.loginId(), command.otp(), command.operation(), command.client());
    }

    /** Checks {@code code} (ASCII digits, already read by {@code OtpInput}) against the user's active token. */
    public Mono<Outcome<Accepted>> verifyUser(TenantConfig tenant, String loginId, String code, String operation,
                                              String client) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return cache.get(tenant.id(), loginId)
                    .map(token -> onToken(tenant, loginId, token, code, operation, client, now, Source.CACHED))
                    .orElseGet(() -> verifyRead(tenant, loginId, code, operation, client, now));
        });
    }

    /** The user's active token read from PostgreSQL (and kept, unless it changed meanwhile). */
    private Mono<Outcome<Accepted>> verifyRead(TenantConfig tenant, String loginId, String code, String operation,
                                               String client, Instant now) {
        long ticket = cache.ticket();
        return tokens.activeTokenOf(tenant.id(), loginId)
                .doOnNext(token -> cache.put(tenant.id(), loginId, token, ticket))
                .flatMap(token -> onToken(tenant, loginId, token, code, operation, client, now, Source.READ))
                .switchIfEmpty(Mono.defer(() -> tokens.absenceOf(tenant.id(), loginId).map(VerifyingOtp::absent)));
    }

    static Outcome<Accepted> absent(ActiveTokens.Absence absence) {
        return switch (absence) {
            case NO_USER -> Outcome.refused(Refusal.Reason.USER_NOT_FOUND, "no such user");
            case NO_ACTIVE_TOKEN -> Outcome.refused(Refusal.Reason.OTP_NOT_ACTIVE, "the user has no active OTP token");
            case SUSPENDED -> Outcome.refused(Refusal.Reason.TOKEN_SUSPENDED,
                    "the user's token was reported lost or broken at the branch");
        };
    }

    private Mono<Outcome<Accepted>> onToken(TenantConfig tenant, String loginId, TokenRecord token, String code,
                                            String operation, String client, Instant now, Source source) {
        return token.expiredAt(now)
                ? Mono.just(Outcome.refused(Refusal.Reason.TOKEN_EXPIRED, "the token has expired"))
                : decide(tenant, loginId, token, code, operation, client, now, source);
    }

    /** One attempt of {@code loginId} on {@code token}, whether or not the user holds it yet (activation). */
    public Mono<Outcome<Accepted>> attempt(TenantConfig tenant, String loginId, TokenRecord token, String code,
                                           String operation, String client, Instant now) {
        return Mono.defer(() -> decide(tenant, loginId, token, code, operation, client, now, Source.GIVEN));
    }

    /*
     * A token from memory carries no trustworthy lock, failures or last step: the guard decides on
     * its own state, and when it holds none (Redis lost it) the durable state is read after all.
     * LOCKED on a token from memory is checked against the database before it is answered, so an
     * unlock works at once on every instance, however late its announcement arrives. An acceptance
     * for a user's token is written only while the user still holds it; otherwise the cached entry
     * was outrun by a change and the user's token is looked up again.
     */
    private Mono<Outcome<Accepted>> decide(TenantConfig tenant, String loginId, TokenRecord token, String code,
                                           String operation, String client, Instant now, Source source) {
        if (code.length() != token.digits()) {
            return Mono.just(count(tenant, Outcome.refused(Refusal.codeLength("otp", token.digits()))));
        }
        int maxDrift = tenant.otp().drift().maxSteps();
        TotpParameters p = parameters(tenant, token);
        long step = withSeed(tenant, token, seed -> {
            OptionalLong matched = Totp.matchingStep(seed, p, code, now, token.drift().centre(maxDrift));
            return matched.isPresent() ? matched.getAsLong() : -1;
        });
        Drift learned = step < 0 ? token.drift() : token.drift().after(step, p.stepAt(now), maxDrift);
        return judge(tenant, loginId, token, step, learned, operation, client, Optional.empty(), now, source,
                reason -> lookAgain(tenant, loginId, code, operation, client, now, reason));
    }

    /**
     * The guard decides on the step a code matched (-1: none) and the attempt is written; an
     * acceptance keeps {@code learned}, the token's drift after it, in the same update.
     * {@code again}: the user's token looked up afresh, when the copy from memory turns out stale
     * (only for {@link Source#CACHED}).
     */
    private Mono<Outcome<Accepted>> judge(TenantConfig tenant, String loginId, TokenRecord token, long step,
                                          Drift learned, String operation, String client, Optional<String> staffId,
                                          Instant now, Source source,
                                          Function<String, Mono<Outcome<Accepted>>> again) {
        int max = tenant.lockout().maxConsecutiveFailures();
        Mono<GuardVerdict> verdict = source == Source.CACHED
                ? guard.attemptOnHeldState(tenant.id(), token.serial(), token.state().version(), step, max)
                : guard.attempt(tenant.id(), token.serial(), token.state(), step, max);
        return verdict
                .flatMap(v -> source == Source.CACHED && v.outcome() == GuardVerdict.Outcome.LOCKED
                        ? again.apply("locked")
                        : attempts.persist(new OtpAttempts.Attempt(tenant.id(), loginId, token.serial(),
                                operation, client, now, v, step, source != Source.GIVEN, staffId, learned))
                        .flatMap(standing -> {
                            if (standing == GuardVerdict.Outcome.ACCEPTED) {
                                learnt(tenant, loginId, token, learned);
                                return Mono.just(count(tenant,
                                        Outcome.done(new Accepted(token.serial(), step, learned.steps()))));
                            }
                            if (standing != GuardVerdict.Outcome.STALE) {
                                return Mono.just(count(tenant, answer(standing, v, max)));
                            }
                            return source == Source.CACHED
                                    ? again.apply("stale")
                                    : Mono.just(count(tenant, Outcome.<Accepted>refused(Refusal.Reason.OTP_NOT_ACTIVE,
                                            "the token was taken from the user during the check")));
                        }))
                .switchIfEmpty(Mono.defer(() -> again.apply("need_state")));
    }

    /**
     * What an acceptance taught reaches this instance's copy of the token at once. A move of the
     * window: the user's copy is forgotten (the other instances, and the copies of other holders,
     * forget theirs when V12's trigger announces the move). A late code counted without a move: the
     * copy is updated in place (only if it is this very entry), so the next late code counts on from it.
     */
    private void learnt(TenantConfig tenant, String loginId, TokenRecord token, Drift learned) {
        if (learned.equals(token.drift())) {
            return;
        }
        if (learned.steps() == token.drift().steps()) {
            cache.replace(tenant.id(), loginId, token, token.with(learned));
            return;
        }
        cache.evict(tenant.id(), loginId);
        meters.counter("otp.drift.changes", "tenant", tenant.id()).increment();
        DistributionSummary.builder("otp.drift.steps").description("offsets the window moved to, in time steps")
                .baseUnit("steps").tag("tenant", tenant.id()).register(meters).record(Math.abs(learned.steps()));
    }

    /** The audit's operation of a resynchronisation. */
    public static final String RESYNC = "RESYNC";

    /**
     * A resynchronisation (RFC 6238 §6): two consecutive codes {@code otp1}, {@code otp2} within
     * now ± {@code otp.drift.resyncWindow}. The pair is decided by the guard like one code (R1, R7):
     * a wrong pair counts as a failure and locks like one; a pair whose first code is at or below
     * the last accepted step is a replay (counted); a fresh pair is accepted at the second code's
     * step, and the window moves to that step's offset at once. Audited as {@link #RESYNC}
     * with the clerk's staff ID when the branch entered the codes.
     */
    public Mono<Outcome<Accepted>> resync(TenantConfig tenant, String loginId, TokenRecord token, String otp1,
                                          String otp2, String client, Optional<String> staffId, boolean holding) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            int range = tenant.otp().drift().resyncWindow();
            if (range == 0) {
                return Mono.just(Outcome.refused(Refusal.Reason.RESYNC_DISABLED,
                        "the tenant does not resynchronise tokens (otp.drift.resyncWindow: 0)"));
            }
            if (token.expiredAt(now)) {
                return Mono.just(Outcome.refused(Refusal.Reason.TOKEN_EXPIRED, "the token has expired"));
            }
            if (otp1.length() != token.digits() || otp2.length() != token.digits()) {
                String field = otp1.length() != token.digits() ? "otp1" : "otp2";
                return Mono.just(count(tenant, Outcome.refused(Refusal.codeLength(field, token.digits()))));
            }
            TotpParameters p = parameters(tenant, token);
            long second = withSeed(tenant, token, seed -> {
                OptionalLong pair = Totp.matchingPair(seed, p, otp1, otp2, now, range);
                return pair.isPresent() ? pair.getAsLong() : -1;
            });
            long presented = Drift.presentedStep(second, token.state().lastUsedStep());
            Drift learned = second < 0 ? token.drift()
                    : Drift.resynchronised(second, p.stepAt(now), tenant.otp().drift().maxSteps());
            return judge(tenant, loginId, token, presented, learned, RESYNC, client, staffId, now,
                    holding ? Source.READ : Source.GIVEN,
                    reason -> Mono.error(new IllegalStateException("a resync never decides on a token from memory")));
        });
    }

    private Mono<Outcome<Accepted>> lookAgain(TenantConfig tenant, String loginId, String code, String operation,
                                              String client, Instant now, String reason) {
        meters.counter("otp.active-tokens.rechecks", "reason", reason).increment();
        cache.evict(tenant.id(), loginId);
        return verifyRead(tenant, loginId, code, operation, client, now);
    }

    /** Runs {@code use} with the token's opened seed; the seed is wiped after. */
    private long withSeed(TenantConfig tenant, TokenRecord token, ToLongFunction<byte[]> use) {
        byte[] seed = vault.open(tenant.id(), token.serial(), token.sealedSeed());
        try {
            return use.applyAsLong(seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    private static TotpParameters parameters(TenantConfig tenant, TokenRecord token) {
        return new TotpParameters(token.algorithm(), token.digits(), Duration.ofSeconds(token.periodSeconds()),
                tenant.otp().window());
    }

    private static Outcome<Accepted> answer(GuardVerdict.Outcome standing, GuardVerdict verdict, int max) {
        return switch (standing) {
            case ACCEPTED -> throw new IllegalStateException("an acceptance is answered with its drift");
            case INVALID -> Outcome.refused(Refusal.invalidCode(verdict.remainingAttempts(max)));
            case REPLAYED -> Outcome.refused(Refusal.Reason.OTP_REPLAYED, "the code was already used (R1)");
            case LOCKED -> Outcome.refused(Refusal.Reason.OTP_LOCKED, "the token is locked (R7)");
            case STALE -> throw new IllegalStateException("a stale acceptance is looked up again, never answered");
        };
    }

    private Outcome<Accepted> count(TenantConfig tenant, Outcome<Accepted> outcome) {
        String result = outcome.fold(refusal -> refusal.reason().name(), accepted -> "ACCEPTED");
        counters.computeIfAbsent(tenant.id() + ' ' + result,
                key -> meters.counter("otp.verifications", "tenant", tenant.id(), "outcome", result)).increment();
        return outcome;
    }
}
