package jp.otpgateway.gateway.lifecycle.domain;

import jp.otpgateway.gateway.shared.domain.Refusal;

import static jp.otpgateway.gateway.lifecycle.domain.LifecycleFixtures.TOKYO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Optional;
import jp.otpgateway.tenant.model.TokenKind;
import jp.otpgateway.tenant.model.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LifecycleRulesTest {

    static Instant tokyo(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(TOKYO).toInstant();
    }

    @ParameterizedTest(name = "revoked {0} with a {1} min cool-down → issuance from {2}")
    @CsvSource({
        "2027-04-01T12:00:00, 30, 2027-04-01T12:30:00",   // cool-down only
        "2027-04-01T02:58:59, 5,  2027-04-01T03:03:59",   // just before the window
        "2027-04-01T02:59:00, 5,  2027-04-01T03:10:00",   // window start: wait for its end
        "2027-04-01T03:09:59, 5,  2027-04-01T03:14:59",   // cool-down ends after the window
        "2027-04-01T03:05:00, 30, 2027-04-01T03:35:00",   // 004's 30 min outlasts the window
        "2027-04-01T03:10:00, 5,  2027-04-01T03:15:00"    // window end is exclusive
    })
    void issuanceWaitsForTheCooldownAndTheMaintenanceWindow(String revoked, int cooldownMinutes, String expected) {
        Tokens tokens = LifecycleFixtures.tokens(Duration.ofMinutes(cooldownMinutes), LocalTime.of(2, 59), LocalTime.of(3, 10));
        assertThat(LifecycleRules.issuanceAvailableAt(tokyo(revoked), tokens, TOKYO)).isEqualTo(tokyo(expected));
    }

    @Test
    void aWindowAcrossMidnightEndsTheNextDay() {
        Tokens tokens = LifecycleFixtures.tokens(Duration.ofMinutes(5), LocalTime.of(23, 50), LocalTime.of(0, 20));
        assertThat(LifecycleRules.issuanceAvailableAt(tokyo("2027-04-01T23:55:00"), tokens, TOKYO))
                .isEqualTo(tokyo("2027-04-02T00:20:00"));
        assertThat(LifecycleRules.issuanceAvailableAt(tokyo("2027-04-02T00:10:00"), tokens, TOKYO))
                .isEqualTo(tokyo("2027-04-02T00:20:00"));
    }

    @Test
    void reissueOpensExactlyTheWindowBeforeExpiry() {
        Instant expiry = tokyo("2027-09-30T08:00:00");
        assertThat(LifecycleRules.reissueAvailableFrom(expiry, Duration.ofDays(90))).isEqualTo(tokyo("2027-07-02T08:00:00"));
    }

    @Test
    void statusFollowsR16() {
        Instant now = tokyo("2027-04-01T12:00:00");
        Instant later = now.plus(Duration.ofDays(100));
        PendingIssuance pending = new PendingIssuance(1, TokenKind.HARDWARE, PendingIssuance.ShipmentStatus.REQUESTED,
                false, now, Optional.empty());
        Holding active = LifecycleFixtures.active("12345678", later);
        Holding locked = new Holding("12345678", TokenKind.HARDWARE, AssignmentState.ACTIVE, later, true, Optional.empty());
        assertThat(LifecycleRules.status(Optional.empty(), Optional.empty(), now)).isEqualTo(OtpStatus.UNREGISTERED);
        assertThat(LifecycleRules.status(Optional.empty(), Optional.of(pending), now)).isEqualTo(OtpStatus.ISSUED);
        assertThat(LifecycleRules.status(Optional.of(active), Optional.empty(), now)).isEqualTo(OtpStatus.ACTIVE);
        assertThat(LifecycleRules.status(Optional.of(active), Optional.of(pending), now)).isEqualTo(OtpStatus.ACTIVE);
        assertThat(LifecycleRules.status(Optional.of(locked), Optional.empty(), now)).isEqualTo(OtpStatus.LOCKED);
        assertThat(LifecycleRules.status(Optional.of(locked), Optional.empty(), later)).isEqualTo(OtpStatus.EXPIRED);
        assertThat(LifecycleRules.status(Optional.of(active), Optional.empty(), later.minusNanos(1))).isEqualTo(OtpStatus.ACTIVE);
        Holding revoked = LifecycleFixtures.revoked("12345678", later, now);
        assertThat(LifecycleRules.status(Optional.of(revoked), Optional.empty(), now)).isEqualTo(OtpStatus.REVOKED);
        assertThat(LifecycleRules.status(Optional.of(revoked), Optional.of(pending), now)).isEqualTo(OtpStatus.ISSUED);
    }

    @Test
    void aLockStaysALockUntilUnlockedExpiredOrNot() {
        Instant later = tokyo("2027-04-01T12:00:00");
        Holding locked = new Holding("12345678", TokenKind.HARDWARE, AssignmentState.ACTIVE, later, true, Optional.empty());
        assertThat(LifecycleRules.lockOf(Optional.of(locked))).map(Refusal::reason).contains(Refusal.Reason.OTP_LOCKED);
        assertThat(LifecycleRules.barrier(Optional.of(locked))).map(Refusal::reason).contains(Refusal.Reason.OTP_LOCKED);
        assertThat(LifecycleRules.lockOf(Optional.of(LifecycleFixtures.active("12345678", later)))).isEmpty();
        assertThat(LifecycleRules.lockOf(Optional.empty())).isEmpty();
    }

    @Test
    void aRevokedUserIsBarredButItsRevokedTokenIsNoLock() {
        Instant now = tokyo("2027-04-01T12:00:00");
        Holding revoked = new Holding("12345678", TokenKind.HARDWARE, AssignmentState.REVOKED, now.plus(Duration.ofDays(9)),
                true, Optional.of(now));
        assertThat(LifecycleRules.barrier(Optional.of(revoked))).map(Refusal::reason).contains(Refusal.Reason.TOKEN_REVOKED);
        assertThat(LifecycleRules.lockOf(Optional.of(revoked))).isEmpty(); // R12: reactivation or a new token is the way out
        assertThat(LifecycleRules.barrier(Optional.empty())).isEmpty();
    }

    @Test
    void everyAssignmentChangeGoesThroughTheTransitionTable() {
        assertThat(AssignmentState.ACTIVE.transitionTo(AssignmentState.REVOKED)).isEqualTo(AssignmentState.REVOKED);
        assertThat(AssignmentState.ACTIVE.supersededByActivation()).isEqualTo(AssignmentState.REPLACED);
        assertThat(AssignmentState.REVOKED.supersededByActivation()).isEqualTo(AssignmentState.ENDED);
        assertThatThrownBy(() -> AssignmentState.DEACTIVATED.transitionTo(AssignmentState.ACTIVE))
                .isInstanceOf(AssignmentState.IllegalTransition.class)
                .hasMessageContaining("DEACTIVATED").hasMessageContaining("ACTIVE");
        assertThatThrownBy(() -> AssignmentState.REVOKED.transitionTo(AssignmentState.REPLACED))
                .isInstanceOf(AssignmentState.IllegalTransition.class);
        // the branch may end a revoked hold on the user's behalf (a paper form); the portal refuses it before
        assertThat(AssignmentState.REVOKED.deactivated()).isEqualTo(AssignmentState.DEACTIVATED);
    }
}
