package jp.otpgateway.gateway.lifecycle.application;

import java.util.Arrays;
import jp.otpgateway.gateway.shared.application.Outcomes;
import jp.otpgateway.gateway.audit.application.port.AuditLog;
import jp.otpgateway.gateway.custody.application.port.SeedVault;
import jp.otpgateway.gateway.lifecycle.application.port.Assignments;
import jp.otpgateway.gateway.lifecycle.application.port.Shipments;
import jp.otpgateway.gateway.lifecycle.application.port.ActivationPasswords;
import jp.otpgateway.gateway.lifecycle.application.port.SoftwareSetups;
import jp.otpgateway.gateway.shared.application.RefusedInTransaction;
import jp.otpgateway.gateway.user.application.port.Users;
import jp.otpgateway.gateway.verification.application.VerifyingOtp;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.lifecycle.domain.IssuancePolicy;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.gateway.lifecycle.domain.PendingIssuance;
import jp.otpgateway.gateway.lifecycle.domain.UserOtpState;
import jp.otpgateway.tenant.model.HashAlgorithm;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.TokenKind;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Use case: a token is requested for a user. A hardware token by the user through the portal or by
 * the branch from a paper form (R4); a software token through the portal, with the mobile mail
 * address and the activation password (R2): the token is created at once and the issuance mail
 * queued with it. A reissue before expiry needs the current code through the portal (R13); after a
 * revocation the request waits for the cool-down (R12), after a software deactivation for the next
 * day (R11).
 */
@Service
public class IssuingToken {

    /**
     * {@code otp}: ASCII digits, already read; required for a reissue through the portal.
     * {@code software}: present exactly for a SOFTWARE token.
     */
    public record Command(String loginId, TokenKind kind, Optional<String> otp, IssuancePolicy.Channel channel,
                          String client, Optional<SoftwareRequest> software) {

        public Command(String loginId, TokenKind kind, Optional<String> otp, IssuancePolicy.Channel channel,
                       String client) {
            this(loginId, kind, otp, channel, client, Optional.empty());
        }
    }

    /** R2: where the issuance mail goes and the activation password (digits, already checked). */
    public record SoftwareRequest(String email, String activationPassword) {

        @Override
        public String toString() {
            return "SoftwareRequest[email=" + email + ", activationPassword=***]";
        }
    }

    /** {@code id}: the shipment (HARDWARE) or the software issuance; {@code setupIds} for SOFTWARE. */
    public record Issued(long id, TokenKind kind, boolean reissue, Optional<PendingIssuance.SetupIds> setupIds) {
    }

    /** A generated serial or app ID was taken: drawn again this many times before giving up. */
    private static final int ID_DRAWS = 4;

    private final Assignments assignments;
    private final Shipments shipments;
    private final Users users;
    private final SoftwareSetups setups;
    private final SoftwareCredentials credentials;
    private final ActivationPasswords passwords;
    private final SeedVault vault;
    private final AuditLog audit;
    private final VerifyingOtp verifying;
    private final TransactionalOperator transaction;
    private final Clock clock;

    public IssuingToken(Assignments assignments, Shipments shipments, Users users, SoftwareSetups setups,
                        SoftwareCredentials credentials, ActivationPasswords passwords, SeedVault vault,
                        AuditLog audit, VerifyingOtp verifying, TransactionalOperator transaction, Clock clock) {
        this.assignments = assignments;
        this.shipments = shipments;
        this.users = users;
        this.setups = setups;
        this.credentials = credentials;
        this.passwords = passwords;
        this.vault = vault;
        this.audit = audit;
        this.verifying = verifying;
        this.transaction = transaction;
        this.clock = clock;
    }

    public Mono<Outcome<Issued>> issue(TenantConfig tenant, Command command) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return assignments.stateOf(tenant.id(), command.loginId())
                    .flatMap(state -> decide(tenant, command, state, now))
                    .defaultIfEmpty(Outcome.refused(Refusal.Reason.USER_NOT_FOUND, "no such user"));
        });
    }

    private Mono<Outcome<Issued>> decide(TenantConfig tenant, Command command, UserOtpState state, Instant now) {
        Optional<Refusal> notYet = IssuancePolicy.reinstall(command.kind(), state.softwareDeactivatedAt(), tenant, now);
        if (notYet.isPresent()) {
            return Mono.just(Outcome.refused(notYet.get()));
        }
        Outcome<IssuancePolicy.Plan> decision = IssuancePolicy.decide(state.holding(), state.pending(), command.kind(),
                tenant, command.channel(), now);
        return Outcomes.andThen(decision, plan -> issue(tenant, command, state, plan, now));
    }

    private Mono<Outcome<Issued>> issue(TenantConfig tenant, Command command, UserOtpState state,
                                        IssuancePolicy.Plan plan, Instant now) {
        if (!plan.otpRequired()) {
            return record(tenant, command, plan, now);
        }
        if (command.otp().isEmpty()) {
            return Mono.just(Outcome.refused(Refusal.Reason.OTP_REQUIRED, "a reissue needs the current code (R13)"));
        }
        return verifying.verifyUser(tenant, command.loginId(), command.otp().get(), "REISSUE", command.client())
                .flatMap(verified -> Outcomes.andThen(verified, accepted -> record(tenant, command, plan, now)));
    }

    private Mono<Outcome<Issued>> record(TenantConfig tenant, Command command, IssuancePolicy.Plan plan, Instant now) {
        if (command.kind() == TokenKind.SOFTWARE) {
            return recordSoftware(tenant, command, plan, now);
        }
        Mono<Outcome<Issued>> write = users.lock(tenant.id(), command.loginId())
                .then(RefusedInTransaction.onDuplicate(
                        shipments.request(tenant.id(), command.loginId(), command.channel(), plan.reissue(), now),
                        Refusal.Reason.ISSUANCE_PENDING, "a token was already requested for the user"))
                .switchIfEmpty(RefusedInTransaction.refuse(Refusal.Reason.ISSUANCE_PENDING,
                        "a software token was issued to the user meanwhile"))
                .flatMap(id -> audit.append(List.of(new AuditLog.Event(tenant.id(), now, Optional.of(command.loginId()),
                                Optional.empty(), plan.reissue() ? "REISSUE" : "ISSUANCE",
                                "REQUESTED_" + command.channel().name(), command.client(), Optional.empty())))
                        .thenReturn(Outcome.done(new Issued(id, command.kind(), plan.reissue(), Optional.empty()))));
        return RefusedInTransaction.recover(write.as(transaction::transactional));
    }

    /*
     * The password is hashed before the transaction (slow on purpose); the secrets are drawn and the
     * seed sealed off the event loop. A taken serial or ID fails the statement and the transaction
     * runs again with new ones.
     */
    private Mono<Outcome<Issued>> recordSoftware(TenantConfig tenant, Command command, IssuancePolicy.Plan plan,
                                                 Instant now) {
        SoftwareRequest request = command.software().orElseThrow();
        return passwords.hash(request.activationPassword())
                .flatMap(hash -> {
                    Mono<Outcome<Issued>> attempt = Mono.fromCallable(() -> newSetup(tenant, command, request, hash,
                                    plan.reissue(), now))
                            .subscribeOn(Schedulers.boundedElastic())
                            .flatMap(setup -> users.lock(tenant.id(), command.loginId())
                                    .then(setups.open(setup))
                                    .switchIfEmpty(RefusedInTransaction.refuse(Refusal.Reason.ISSUANCE_PENDING,
                                            "a hardware token was requested for the user meanwhile"))
                                    .map(id -> Outcome.done(new Issued(id, TokenKind.SOFTWARE, plan.reissue(),
                                            Optional.of(new PendingIssuance.SetupIds(setup.serviceId(),
                                                    setup.appUserId())))))
                                    .as(transaction::transactional));
                    return RefusedInTransaction.recover(attempt.retryWhen(Retry.max(ID_DRAWS - 1)
                            .filter(DuplicateKeyException.class::isInstance)
                            .onRetryExhaustedThrow((spec, signal) -> signal.failure())));
                });
    }

    private SoftwareSetups.NewSetup newSetup(TenantConfig tenant, Command command, SoftwareRequest request,
                                             String passwordHash, boolean reissue, Instant now) {
        String serial = credentials.serial();
        HashAlgorithm algorithm = tenant.otp().algorithm();
        byte[] seed = credentials.seed(algorithm);
        byte[] sealed = vault.seal(tenant.id(), serial, seed);
        Arrays.fill(seed, (byte) 0);
        Instant expiresAt = now.atZone(tenant.timeZone()).plus(tenant.tokens().software().validity()).toInstant();
        return new SoftwareSetups.NewSetup(tenant.id(), command.loginId(), serial, sealed, algorithm,
                tenant.otp().digits(), (int) tenant.otp().period().toSeconds(), expiresAt, credentials.serviceId(),
                credentials.appUserId(), passwordHash, request.email(), reissue,
                tenant.tokens().software().setupAttempts(), command.client(), now);
    }
}
