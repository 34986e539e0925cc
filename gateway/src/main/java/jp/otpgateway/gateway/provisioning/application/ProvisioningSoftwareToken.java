package jp.otpgateway.gateway.provisioning.application;

import jp.otpgateway.gateway.verification.domain.TokenRecord;
import jp.otpgateway.gateway.custody.application.port.SeedVault;
import jp.otpgateway.gateway.lifecycle.application.port.Tokens;
import jp.otpgateway.gateway.lifecycle.application.port.ActivationPasswords;
import jp.otpgateway.gateway.lifecycle.application.port.SoftwareSetups;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Optional;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.gateway.provisioning.domain.Base32;
import jp.otpgateway.gateway.provisioning.domain.OtpauthUri;
import jp.otpgateway.gateway.tenant.application.TenantRegistry;
import jp.otpgateway.tenant.model.HashAlgorithm;
import jp.otpgateway.tenant.model.TenantConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Use case: the token app's initial setup (R2, 003 「ワンタイムパスワードアプリの初期設定」). The app
 * sends the service ID, the user ID and the activation password and receives the token once. Every
 * refusal looks the same (unknown IDs, a wrong password, a setup done or void) and costs the same
 * password hash, so neither the answer nor its time tells whether the IDs exist. Each password check
 * is counted before it is made, so parallel guesses get no more than the tenant's setupAttempts;
 * when they all failed, the setup is void and the user issues again.
 */
@Service
public class ProvisioningSoftwareToken {

    private static final Logger log = LoggerFactory.getLogger(ProvisioningSoftwareToken.class);

    public record Command(String serviceId, String appUserId, String activationPassword, String clientAddress) {

        @Override
        public String toString() {
            return "Command[activationPassword=***, clientAddress=" + clientAddress + "]";
        }
    }

    /** What the app needs to show codes: the secret leaves the gateway here, once. */
    public record Provisioned(String tenantName, String serial, String otpauthUri, String secret,
                              HashAlgorithm algorithm, int digits, int periodSeconds, Instant startsAt,
                              Instant expiresAt, ZoneId zone) {

        @Override
        public String toString() {
            return "Provisioned[serial=" + serial + ", secret=***]";
        }
    }

    private final SoftwareSetups setups;
    private final ActivationPasswords passwords;
    private final Tokens tokens;
    private final SeedVault vault;
    private final TenantRegistry tenants;
    private final Clock clock;
    private final MeterRegistry meters;

    public ProvisioningSoftwareToken(SoftwareSetups setups, ActivationPasswords passwords, Tokens tokens,
                                     SeedVault vault, TenantRegistry tenants, Clock clock, MeterRegistry meters) {
        this.setups = setups;
        this.passwords = passwords;
        this.tokens = tokens;
        this.vault = vault;
        this.tenants = tenants;
        this.clock = clock;
        this.meters = meters;
    }

    public Mono<Outcome<Provisioned>> provision(Command command) {
        String client = client(command.clientAddress());
        return setups.reserve(command.serviceId(), command.appUserId())
                .flatMap(reservation -> passwords.matches(command.activationPassword(), reservation.passwordHash())
                        .flatMap(right -> right
                                ? hand(reservation, client)
                                : setups.wrongPassword(reservation, client, clock.instant())
                                        .map(voided -> refused(voided ? "VOIDED" : "WRONG_PASSWORD"))))
                .switchIfEmpty(Mono.defer(() -> passwords.matchesNothing(command.activationPassword())
                        .thenReturn(refused("NOT_AVAILABLE"))));
    }

    private Mono<Outcome<Provisioned>> hand(SoftwareSetups.Reservation reservation, String client) {
        Instant now = clock.instant();
        Optional<TenantConfig> tenant = tenants.tenant(reservation.tenantId());
        if (tenant.isEmpty()) {
            return Mono.just(refused("TENANT_GONE"));
        }
        return setups.provisioned(reservation, client, now)
                .flatMap(won -> won
                        ? tokens.find(reservation.tenantId(), reservation.serial())
                                .publishOn(Schedulers.boundedElastic())
                                .map(token -> {
                                    count("PROVISIONED");
                                    return Outcome.<Provisioned>done(secret(tenant.get(), token, now));
                                })
                        : Mono.just(refused("ALREADY_PROVISIONED")));
    }

    private Provisioned secret(TenantConfig tenant, TokenRecord token, Instant now) {
        byte[] seed = vault.open(tenant.id(), token.serial(), token.sealedSeed());
        try {
            return new Provisioned(tenant.name(), token.serial(),
                    OtpauthUri.totp(tenant.name(), token.serial(), seed, token.algorithm(), token.digits(),
                            token.periodSeconds()),
                    Base32.encode(seed), token.algorithm(), token.digits(), token.periodSeconds(), now,
                    token.expiresAt(), tenant.timeZone());
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    private Outcome<Provisioned> refused(String why) {
        count(why);
        if (!"WRONG_PASSWORD".equals(why)) {
            log.info("app setup refused: {}", why);
        }
        return Outcome.refused(Refusal.Reason.SETUP_FAILED,
                "the service ID, user ID or activation password is wrong, or the setup is no longer available");
    }

    private void count(String outcome) {
        meters.counter("otp.provisioning", "outcome", outcome).increment();
    }

    /** The audit's client column: who set the app up, as far as the gateway can tell. */
    private static String client(String address) {
        String text = "app@" + address;
        return text.length() <= 64 ? text : text.substring(0, 64);
    }
}
