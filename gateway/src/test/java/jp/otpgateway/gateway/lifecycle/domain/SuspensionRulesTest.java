package jp.otpgateway.gateway.lifecycle.domain;

import static jp.otpgateway.gateway.lifecycle.domain.LifecycleFixtures.TOKYO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.tenant.model.TokenKind;
import org.junit.jupiter.api.Test;

/**
 * The loss or damage report (000: 故障・紛失), the reissue after it, and the forced activation at
 * login (BLG020) as pure rules.
 */
class SuspensionRulesTest {

    static final Instant NOW = LocalDateTime.parse("2027-04-01T12:00:00").atZone(TOKYO).toInstant();
    static final Instant FAR = NOW.plus(Duration.ofDays(900));

    static Holding suspended(String serial) {
        return new Holding(serial, TokenKind.HARDWARE, AssignmentState.SUSPENDED, FAR, false, Optional.empty());
    }

    static PendingIssuance shipped(boolean reissue, LocalDate startsOn) {
        return new PendingIssuance(7, TokenKind.HARDWARE, PendingIssuance.ShipmentStatus.SHIPPED, reissue, NOW,
                Optional.of("222222222222"), Optional.empty(), Optional.of(startsOn));
    }

    @Test
    void aReportSuspendsActiveAndRevokedHoldsAndNothingElse() {
        assertThat(AssignmentState.ACTIVE.suspendedByReport()).isEqualTo(AssignmentState.SUSPENDED);
        assertThat(AssignmentState.REVOKED.suspendedByReport()).isEqualTo(AssignmentState.SUSPENDED);
        for (AssignmentState s : EnumSet.of(AssignmentState.SUSPENDED, AssignmentState.DEACTIVATED,
                AssignmentState.REPLACED, AssignmentState.ENDED)) {
            assertThatThrownBy(s::suspendedByReport).isInstanceOf(AssignmentState.IllegalTransition.class)
                    .hasMessageContaining(s.name()).hasMessageContaining("SUSPENDED");
        }
    }

    @Test
    void aSuspensionEndsByTheActivationOfAnotherTokenOrByDeactivationOnly() {
        assertThat(AssignmentState.SUSPENDED.current()).isTrue();
        assertThat(AssignmentState.SUSPENDED.supersededByActivation()).isEqualTo(AssignmentState.ENDED);
        assertThat(AssignmentState.SUSPENDED.deactivated()).isEqualTo(AssignmentState.DEACTIVATED);
        assertThatThrownBy(() -> AssignmentState.SUSPENDED.transitionTo(AssignmentState.ACTIVE))
                .isInstanceOf(AssignmentState.IllegalTransition.class);
        assertThatThrownBy(() -> AssignmentState.SUSPENDED.transitionTo(AssignmentState.REVOKED))
                .isInstanceOf(AssignmentState.IllegalTransition.class);
    }

    @Test
    void aSuspendedUserShowsSuspendedAlsoWhileTheReissueIsOnItsWay() {
        Optional<Holding> h = Optional.of(suspended("111111111111"));
        assertThat(LifecycleRules.status(h, Optional.empty(), NOW)).isEqualTo(OtpStatus.SUSPENDED);
        assertThat(LifecycleRules.status(h, Optional.of(shipped(true, LocalDate.of(2027, 4, 1))), NOW))
                .isEqualTo(OtpStatus.SUSPENDED);
        assertThat(OtpStatus.SUSPENDED.label()).isEqualTo("利用停止中（紛失・破損）");
        assertThat(OtpStatus.SUSPENDED.hasActiveOtp()).isFalse();
    }

    @Test
    void theBarrierRefusesASuspendedUserWithItsOwnCode() {
        Optional<Holding> h = Optional.of(suspended("111111111111"));
        assertThat(LifecycleRules.suspensionOf(h)).map(Refusal::reason).contains(Refusal.Reason.TOKEN_SUSPENDED);
        assertThat(LifecycleRules.barrier(h)).map(Refusal::reason).contains(Refusal.Reason.TOKEN_SUSPENDED);
        assertThat(LifecycleRules.lockOf(h)).isEmpty();
        assertThat(LifecycleRules.suspensionOf(Optional.of(LifecycleFixtures.active("1", FAR)))).isEmpty();
    }

    @Test
    void thePortalCannotIssueForASuspendedUserTheBranchReissuesOnce() {
        Optional<Holding> h = Optional.of(suspended("111111111111"));
        Outcome<IssuancePolicy.Plan> portal = IssuancePolicy.decide(h, Optional.empty(), TokenKind.HARDWARE,
                LifecycleFixtures.tenant(), IssuancePolicy.Channel.PORTAL, NOW);
        assertThat(portal.refusedWith()).map(Refusal::reason).contains(Refusal.Reason.TOKEN_SUSPENDED);
        Outcome<IssuancePolicy.Plan> branch = IssuancePolicy.decide(h, Optional.empty(), TokenKind.HARDWARE,
                LifecycleFixtures.tenant(), IssuancePolicy.Channel.BRANCH, NOW);
        assertThat(branch.refusedWith()).map(Refusal::reason).contains(Refusal.Reason.TOKEN_SUSPENDED);

        assertThat(IssuancePolicy.reissueAfterLoss(h, Optional.empty()).refusedWith()).isEmpty();
        assertThat(IssuancePolicy.reissueAfterLoss(h, Optional.of(shipped(true, LocalDate.of(2027, 4, 2))))
                .refusedWith()).map(Refusal::reason).contains(Refusal.Reason.ISSUANCE_PENDING);
        assertThat(IssuancePolicy.reissueAfterLoss(Optional.of(LifecycleFixtures.active("1", FAR)), Optional.empty())
                .refusedWith()).map(Refusal::reason).contains(Refusal.Reason.TOKEN_NOT_SUSPENDED);
        assertThat(IssuancePolicy.reissueAfterLoss(Optional.empty(), Optional.empty()).refusedWith())
                .map(Refusal::reason).contains(Refusal.Reason.TOKEN_NOT_SUSPENDED);
    }

    @Test
    void theReissuedTokenReplacesTheSuspendedHoldTheLostOneIsRetired() {
        Optional<Holding> h = Optional.of(suspended("111111111111"));
        TokenFacts fresh = new TokenFacts("222222222222", TokenKind.HARDWARE, FAR, Optional.empty(), Optional.of("C1"),
                List.of());
        assertThat(ActivationPolicy.check("u1", "C1", fresh, h, false, Optional.empty(), true, NOW).refusedWith())
                .isEmpty();
        TokenFacts lost = new TokenFacts("111111111111", TokenKind.HARDWARE, FAR, Optional.of(NOW), Optional.of("C1"),
                List.of(new TokenFacts.Holder("u1", "C1", AssignmentState.SUSPENDED)), Optional.of(LossReason.LOST));
        assertThat(ActivationPolicy.check("u1", "C1", lost, h, false, Optional.empty(), true, NOW).refusedWith())
                .map(Refusal::reason).contains(Refusal.Reason.TOKEN_RETIRED);
        assertThat(ActivationPolicy.check("u2", "C1", lost, Optional.empty(), false, Optional.empty(), true, NOW)
                .refusedWith()).map(Refusal::reason).contains(Refusal.Reason.TOKEN_RETIRED);
    }

    @Test
    void activationIsDueFromMidnightInTokyoOfTheStartDateWhereTheTenantForcesIt() {
        PendingIssuance p = shipped(false, LocalDate.of(2027, 4, 10));
        Instant midnight = LocalDateTime.parse("2027-04-10T00:00:00").atZone(TOKYO).toInstant();
        assertThat(midnight).isEqualTo(Instant.parse("2027-04-09T15:00:00Z"));
        assertThat(LifecycleRules.activationDueFrom(Optional.of(p), true, TOKYO)).contains(midnight);
        assertThat(LifecycleRules.activationDue(Optional.of(p), true, TOKYO, midnight.minusNanos(1))).isFalse();
        assertThat(LifecycleRules.activationDue(Optional.of(p), true, TOKYO, midnight)).isTrue();
        assertThat(LifecycleRules.activationDue(Optional.of(p), false, TOKYO, midnight)).isFalse();
        PendingIssuance requested = new PendingIssuance(7, TokenKind.HARDWARE, PendingIssuance.ShipmentStatus.REQUESTED,
                false, NOW, Optional.empty());
        assertThat(LifecycleRules.activationDue(Optional.of(requested), true, TOKYO, FAR)).isFalse();
        assertThat(LifecycleRules.activationDue(Optional.empty(), true, TOKYO, FAR)).isFalse();
    }

    @Test
    void aLoginMeetsTheLockThenTheDueActivationThenTheSuspension() {
        Instant due = LocalDateTime.parse("2027-04-10T00:00:00").atZone(TOKYO).toInstant();
        Optional<PendingIssuance> p = Optional.of(shipped(true, LocalDate.of(2027, 4, 10)));
        Optional<Holding> suspended = Optional.of(suspended("111111111111"));
        assertThat(LifecycleRules.loginBarrier(suspended, p, true, TOKYO, due)).map(Refusal::reason)
                .contains(Refusal.Reason.ACTIVATION_REQUIRED);
        assertThat(LifecycleRules.loginBarrier(suspended, p, true, TOKYO, due.minusSeconds(1))).map(Refusal::reason)
                .contains(Refusal.Reason.TOKEN_SUSPENDED);
        assertThat(LifecycleRules.loginBarrier(suspended, p, false, TOKYO, due)).map(Refusal::reason)
                .contains(Refusal.Reason.TOKEN_SUSPENDED);
        Holding locked = new Holding("333333333333", TokenKind.HARDWARE, AssignmentState.ACTIVE, FAR, true,
                Optional.empty());
        assertThat(LifecycleRules.loginBarrier(Optional.of(locked), p, true, TOKYO, due)).map(Refusal::reason)
                .contains(Refusal.Reason.OTP_LOCKED);
        assertThat(LifecycleRules.loginBarrier(Optional.empty(), p, true, TOKYO, due)).map(Refusal::reason)
                .contains(Refusal.Reason.ACTIVATION_REQUIRED);
        assertThat(LifecycleRules.loginBarrier(Optional.empty(), Optional.empty(), true, TOKYO, due)).isEmpty();
    }

    @Test
    void aShipmentStartsOnTheGivenDayOrTheTenantsDaysAfterTheShippingDayInTokyo() {
        Instant lateEvening = LocalDateTime.parse("2027-04-01T23:30:00").atZone(TOKYO).toInstant();
        assertThat(LifecycleRules.startDate(Optional.empty(), lateEvening, Duration.ofDays(14), TOKYO))
                .isEqualTo(LocalDate.of(2027, 4, 15));
        assertThat(LifecycleRules.startDate(Optional.of(LocalDate.of(2027, 5, 1)), lateEvening, Duration.ofDays(14),
                TOKYO)).isEqualTo(LocalDate.of(2027, 5, 1));
        assertThat(LifecycleRules.refuseStartDate(LocalDate.of(2027, 4, 1), lateEvening, TOKYO)).isEmpty();
        assertThat(LifecycleRules.refuseStartDate(LocalDate.of(2027, 3, 31), lateEvening, TOKYO))
                .map(Refusal::reason).contains(Refusal.Reason.VALIDATION_FAILED);
        assertThat(LifecycleRules.refuseStartDate(LocalDate.of(2028, 4, 2), lateEvening, TOKYO)).isPresent();
    }
}
