package jp.otpgateway.gateway.application;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import jp.otpgateway.gateway.domain.lifecycle.Outcome;
import jp.otpgateway.gateway.domain.lifecycle.Refusal;
import jp.otpgateway.gateway.domain.otp.GuardVerdict;
import jp.otpgateway.gateway.domain.otp.Totp;
import jp.otpgateway.gateway.domain.otp.TotpParameters;
import jp.otpgateway.gateway.domain.token.TokenRecord;
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

    /** A code accepted for a token at a time step. */
    public record Accepted(String serial, long step) {
    }

    private final Tokens tokens;
    private final Users users;
    private final SeedVault vault;
    private final OtpGuard guard;
    private final OtpAttempts attempts;
    private final Clock clock;
    private final MeterRegistry meters;

    public VerifyingOtp(Tokens tokens, Users users, SeedVault vault, OtpGuard guard, OtpAttempts attempts, Clock clock,
                        MeterRegistry meters) {
        this.tokens = tokens;
        this.users = users;
        this.vault = vault;
        this.guard = guard;
        this.attempts = attempts;
        this.clock = clock;
        this.meters = meters;
    }

    /** Checks {@code code} (ASCII digits, already read by {@code OtpInput}) against the user's active token. */
    public Mono<Outcome<Accepted>> verifyUser(TenantConfig tenant, String loginId, String code, String operation,
                                              String client) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return tokens.activeTokenOf(tenant.id(), loginId)
                    .flatMap(token -> token.expiredAt(now)
                            ? Mono.just(Outcome.<Accepted>refused(Refusal.Reason.TOKEN_EXPIRED, "the token has expired"))
                            : attempt(tenant, loginId, token, code, operation, client, now))
                    .switchIfEmpty(Mono.defer(() -> users.find(tenant.id(), loginId)
                            .map(u -> Outcome.<Accepted>refused(Refusal.Reason.OTP_NOT_ACTIVE,
                                    "the user has no active OTP token"))
                            .defaultIfEmpty(Outcome.refused(Refusal.Reason.USER_NOT_FOUND, "no such user"))));
        });
    }

    /** One attempt of {@code loginId} on {@code token}, whether or not the user holds it yet (activation). */
    public Mono<Outcome<Accepted>> attempt(TenantConfig tenant, String loginId, TokenRecord token, String code,
                                           String operation, String client, Instant now) {
        return Mono.defer(() -> {
            long step = matchingStep(tenant, token, code, now);
            int max = tenant.lockout().maxConsecutiveFailures();
            return guard.attempt(tenant.id(), token.serial(), token.state(), step, max)
                    .flatMap(verdict -> attempts.persist(new OtpAttempts.Attempt(tenant.id(), loginId, token.serial(),
                                    operation, client, now, verdict, step))
                            .map(standing -> answer(standing, verdict, max, token.serial(), step)))
                    .doOnNext(outcome -> count(tenant, outcome));
        });
    }

    private long matchingStep(TenantConfig tenant, TokenRecord token, String code, Instant now) {
        if (code.length() != token.digits()) {
            return -1;
        }
        TotpParameters parameters = new TotpParameters(token.algorithm(), token.digits(),
                Duration.ofSeconds(token.periodSeconds()), tenant.otp().window());
        byte[] seed = vault.open(tenant.id(), token.serial(), token.sealedSeed());
        try {
            OptionalLong step = Totp.matchingStep(seed, parameters, code, now);
            return step.isPresent() ? step.getAsLong() : -1;
        } finally {
            java.util.Arrays.fill(seed, (byte) 0);
        }
    }

    private static Outcome<Accepted> answer(GuardVerdict.Outcome standing, GuardVerdict verdict, int max, String serial,
                                            long step) {
        return switch (standing) {
            case ACCEPTED -> Outcome.done(new Accepted(serial, step));
            case INVALID -> Outcome.refused(Refusal.invalidCode(verdict.remainingAttempts(max)));
            case REPLAYED -> Outcome.refused(Refusal.Reason.OTP_REPLAYED, "the code was already used (R1)");
            case LOCKED -> Outcome.refused(Refusal.Reason.OTP_LOCKED, "the token is locked (R7)");
        };
    }

    private void count(TenantConfig tenant, Outcome<Accepted> outcome) {
        String result = outcome instanceof Outcome.Refused<Accepted> r ? r.refusal().reason().name() : "ACCEPTED";
        meters.counter("otp.verifications", "tenant", tenant.id(), "outcome", result).increment();
    }
}
