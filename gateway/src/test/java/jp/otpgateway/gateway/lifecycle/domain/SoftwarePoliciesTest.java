package jp.otpgateway.gateway.lifecycle.domain;

import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.TokenKind;
import jp.otpgateway.tenant.model.Tokens;
import org.junit.jupiter.api.Test;

/** R2, R3, R11, R14 for software tokens: the reinstall rule, replacing a setup, activation checks. */
class SoftwarePoliciesTest {

    static final TenantConfig TENANT = LifecycleFixtures.tenant();
    static final Instant LEFT = ZonedDateTime.of(2026, 11, 21, 23, 30, 0, 0, LifecycleFixtures.TOKYO).toInstant();
    static final Instant MIDNIGHT = ZonedDateTime.of(2026, 11, 22, 0, 0, 0, 0, LifecycleFixtures.TOKYO).toInstant();
    static final Instant FAR = Instant.parse("2031-01-01T00:00:00Z");

    @Test
    void afterASoftwareDeactivationTheAppIsSetUpAgainFromTheNextDayInTheTenantsZone() {
        Optional<Refusal> sameDay = IssuancePolicy.reinstall(TokenKind.SOFTWARE, Optional.of(LEFT), TENANT,
                MIDNIGHT.minusSeconds(1));
        assertThat(sameDay).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo(Refusal.Reason.ISSUANCE_COOLDOWN);
            assertThat(r.availableAt()).contains(MIDNIGHT);
        });
        assertThat(IssuancePolicy.reinstall(TokenKind.SOFTWARE, Optional.of(LEFT), TENANT, MIDNIGHT)).isEmpty();
        assertThat(IssuancePolicy.reinstall(TokenKind.HARDWARE, Optional.of(LEFT), TENANT, LEFT)).isEmpty();
        assertThat(IssuancePolicy.reinstall(TokenKind.SOFTWARE, Optional.empty(), TENANT, LEFT)).isEmpty();
    }

    @Test
    void aTenantMayLetTheUserReinstallAtOnce() {
        Tokens t = TENANT.tokens();
        Tokens.Software sw = t.software();
        TenantConfig relaxed = new TenantConfig(TENANT.id(), TENANT.name(), TENANT.timeZone(), TENANT.otp(),
                TENANT.lockout(), TENANT.operations(), TENANT.withoutOtp(),
                new Tokens(t.kinds(), t.hardware(), new Tokens.Software(sw.validity(), 4, 8, 5, false, Optional.empty()),
                        t.deactivationRequiresOtp(), t.revocationCooldown(), t.maintenanceWindow()),
                TENANT.notifications(), TENANT.fees(), TENANT.clients(), TENANT.limits());
        assertThat(IssuancePolicy.reinstall(TokenKind.SOFTWARE, Optional.of(LEFT), relaxed, LEFT)).isEmpty();
    }

    @Test
    void aNewSoftwareIssuanceReplacesAPendingSetupButNotAHardwareRequest() {
        PendingIssuance setup = pending(TokenKind.SOFTWARE, PendingIssuance.ShipmentStatus.PROVISIONED, false);
        PendingIssuance shipment = pending(TokenKind.HARDWARE, PendingIssuance.ShipmentStatus.REQUESTED, false);
        assertThat(IssuancePolicy.decide(Optional.empty(), Optional.of(setup), TokenKind.SOFTWARE, TENANT,
                IssuancePolicy.Channel.PORTAL, LEFT)).isInstanceOf(Outcome.Done.class);
        assertThat(refusal(IssuancePolicy.decide(Optional.empty(), Optional.of(setup), TokenKind.HARDWARE, TENANT,
                IssuancePolicy.Channel.PORTAL, LEFT))).isEqualTo(Refusal.Reason.ISSUANCE_PENDING);
        assertThat(refusal(IssuancePolicy.decide(Optional.empty(), Optional.of(shipment), TokenKind.SOFTWARE, TENANT,
                IssuancePolicy.Channel.PORTAL, LEFT))).isEqualTo(Refusal.Reason.ISSUANCE_PENDING);
        // R14: a held software token is switched only through deactivation.
        Holding software = new Holding("1234567890", TokenKind.SOFTWARE, AssignmentState.ACTIVE, FAR, false,
                Optional.empty());
        assertThat(refusal(IssuancePolicy.decide(Optional.of(software), Optional.empty(), TokenKind.HARDWARE, TENANT,
                IssuancePolicy.Channel.PORTAL, LEFT))).isEqualTo(Refusal.Reason.KIND_MISMATCH);
    }

    @Test
    void aSoftwareTokenIsActivatedOnlyAfterTheAppFetchedIt() {
        TokenFacts token = new TokenFacts("1234567890", TokenKind.SOFTWARE, FAR, Optional.empty(), Optional.of("C1"),
                List.of());
        assertThat(refusal(ActivationPolicy.checkSoftware(token,
                pending(TokenKind.SOFTWARE, PendingIssuance.ShipmentStatus.SETUP_PENDING, false), Optional.empty(), LEFT)))
                .isEqualTo(Refusal.Reason.NOT_ISSUED);
        PendingIssuance provisioned = pending(TokenKind.SOFTWARE, PendingIssuance.ShipmentStatus.PROVISIONED, false);
        assertThat(ActivationPolicy.checkSoftware(token, provisioned, Optional.empty(), LEFT))
                .isInstanceOf(Outcome.Done.class);
        TokenFacts voided = new TokenFacts("1234567890", TokenKind.SOFTWARE, FAR, Optional.of(LEFT), Optional.of("C1"),
                List.of());
        assertThat(refusal(ActivationPolicy.checkSoftware(voided, provisioned, Optional.empty(), LEFT)))
                .isEqualTo(Refusal.Reason.TOKEN_RETIRED);
        assertThat(refusal(ActivationPolicy.checkSoftware(token, provisioned, Optional.empty(), FAR)))
                .isEqualTo(Refusal.Reason.TOKEN_EXPIRED);
        // Another current token is replaced only by a reissue (R13).
        Optional<Holding> current = Optional.of(LifecycleFixtures.active("99999999", FAR));
        assertThat(refusal(ActivationPolicy.checkSoftware(token, provisioned, current, LEFT)))
                .isEqualTo(Refusal.Reason.ALREADY_ACTIVE);
        Outcome<ActivationPolicy.Plan> reissue = ActivationPolicy.checkSoftware(token,
                pending(TokenKind.SOFTWARE, PendingIssuance.ShipmentStatus.PROVISIONED, true), current, LEFT);
        assertThat(((Outcome.Done<ActivationPolicy.Plan>) reissue).value().superseded()).isEqualTo(current);
    }

    private static PendingIssuance pending(TokenKind kind, PendingIssuance.ShipmentStatus status, boolean reissue) {
        return new PendingIssuance(1, kind, status, reissue, LEFT, Optional.of("1234567890"));
    }

    private static Refusal.Reason refusal(Outcome<?> outcome) {
        return ((Outcome.Refused<?>) outcome).refusal().reason();
    }
}
