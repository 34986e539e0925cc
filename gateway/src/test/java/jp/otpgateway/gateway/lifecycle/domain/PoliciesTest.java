package jp.otpgateway.gateway.lifecycle.domain;

import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.tenant.model.TokenKind;
import org.junit.jupiter.api.Test;

class PoliciesTest {

    static final Instant NOW = Instant.parse("2027-04-01T03:00:00Z");
    static final Instant FAR = NOW.plus(Duration.ofDays(1000));

    static Refusal.Reason refusal(Outcome<?> outcome) {
        return outcome instanceof Outcome.Refused<?> r ? r.refusal().reason() : null;
    }

    static TokenFacts token(Optional<String> contract, List<TokenFacts.Holder> holders) {
        return new TokenFacts("123456789012", TokenKind.HARDWARE, FAR, Optional.empty(), contract, holders);
    }

    @Test
    void issuanceRefusals() {
        var tenant = LifecycleFixtures.tenant();
        var pending = new PendingIssuance(1, TokenKind.HARDWARE, PendingIssuance.ShipmentStatus.SHIPPED, false, NOW,
                Optional.of("1"));
        assertThat(refusal(IssuancePolicy.decide(Optional.empty(), Optional.of(pending), TokenKind.HARDWARE, tenant,
                IssuancePolicy.Channel.PORTAL, NOW))).isEqualTo(Refusal.Reason.ISSUANCE_PENDING);
        assertThat(refusal(IssuancePolicy.decide(Optional.of(LifecycleFixtures.active("1", FAR)), Optional.empty(),
                TokenKind.HARDWARE, tenant, IssuancePolicy.Channel.PORTAL, NOW))).isEqualTo(Refusal.Reason.REISSUE_NOT_YET);
        assertThat(refusal(IssuancePolicy.decide(Optional.of(LifecycleFixtures.active("1", FAR)), Optional.empty(),
                TokenKind.SOFTWARE, tenant, IssuancePolicy.Channel.PORTAL, NOW))).isEqualTo(Refusal.Reason.KIND_MISMATCH);
        assertThat(refusal(IssuancePolicy.decide(Optional.of(LifecycleFixtures.revoked("1", FAR, NOW.minusSeconds(60))),
                Optional.empty(), TokenKind.HARDWARE, tenant, IssuancePolicy.Channel.BRANCH, NOW)))
                .isEqualTo(Refusal.Reason.ISSUANCE_COOLDOWN);
    }

    @Test
    void aReissueInTheWindowNeedsTheCodeThroughThePortalOnly() {
        var tenant = LifecycleFixtures.tenant();
        var holding = Optional.of(LifecycleFixtures.active("1", NOW.plus(Duration.ofDays(90))));
        var portal = IssuancePolicy.decide(holding, Optional.empty(), TokenKind.HARDWARE, tenant, IssuancePolicy.Channel.PORTAL, NOW);
        var branch = IssuancePolicy.decide(holding, Optional.empty(), TokenKind.HARDWARE, tenant, IssuancePolicy.Channel.BRANCH, NOW);
        assertThat(portal).isEqualTo(Outcome.done(new IssuancePolicy.Plan(true, true)));
        assertThat(branch).isEqualTo(Outcome.done(new IssuancePolicy.Plan(true, false)));
    }

    @Test
    void aLockedTokenGetsNoReissueOrNewTokenOnAnyChannelExpiredOrNot() {
        var tenant = LifecycleFixtures.tenant();
        var inWindow = NOW.plus(Duration.ofDays(30));
        var locked = Optional.of(new Holding("1", TokenKind.HARDWARE, AssignmentState.ACTIVE, inWindow, true, Optional.empty()));
        for (IssuancePolicy.Channel channel : IssuancePolicy.Channel.values()) {
            assertThat(refusal(IssuancePolicy.decide(locked, Optional.empty(), TokenKind.HARDWARE, tenant, channel, NOW)))
                    .isEqualTo(Refusal.Reason.OTP_LOCKED);
            assertThat(refusal(IssuancePolicy.decide(locked, Optional.empty(), TokenKind.HARDWARE, tenant, channel,
                    inWindow.plusSeconds(1)))).isEqualTo(Refusal.Reason.OTP_LOCKED);
        }
    }

    @Test
    void anotherTokenDoesNotReplaceALockedOneNotEvenAReissueOrOnceExpired() {
        var locked = Optional.of(new Holding("999999999", TokenKind.HARDWARE, AssignmentState.ACTIVE, NOW.plusSeconds(60),
                true, Optional.empty()));
        var reissue = Optional.of(new PendingIssuance(1, TokenKind.HARDWARE, PendingIssuance.ShipmentStatus.SHIPPED,
                true, NOW, Optional.empty()));
        assertThat(refusal(ActivationPolicy.check("me", "C1", token(Optional.empty(), List.of()), locked, false, reissue,
                true, NOW))).isEqualTo(Refusal.Reason.OTP_LOCKED);
        assertThat(refusal(ActivationPolicy.check("me", "C1", token(Optional.empty(), List.of()), locked, false,
                Optional.empty(), true, NOW.plusSeconds(120)))).isEqualTo(Refusal.Reason.OTP_LOCKED);
    }

    @Test
    void activationRefusals() {
        var mine = new TokenFacts.Holder("colleague", "C1", AssignmentState.ACTIVE);
        var foreign = new TokenFacts.Holder("stranger", "C2", AssignmentState.ACTIVE);
        assertThat(refusal(ActivationPolicy.check("me", "C1", token(Optional.of("C2"), List.of(foreign)), Optional.empty(),
                false, Optional.empty(), true, NOW))).isEqualTo(Refusal.Reason.TOKEN_OTHER_CONTRACT);
        assertThat(refusal(ActivationPolicy.check("me", "C1", token(Optional.of("C1"), List.of(mine)), Optional.empty(),
                false, Optional.empty(), false, NOW))).isEqualTo(Refusal.Reason.TOKEN_IN_USE);
        assertThat(ActivationPolicy.check("me", "C1", token(Optional.of("C1"), List.of(mine)), Optional.empty(),
                false, Optional.empty(), true, NOW)).isInstanceOf(Outcome.Done.class);
        assertThat(refusal(ActivationPolicy.check("me", "C1", token(Optional.empty(), List.of()), Optional.empty(),
                true, Optional.empty(), true, NOW))).isEqualTo(Refusal.Reason.TOKEN_RETIRED);
        assertThat(refusal(ActivationPolicy.check("me", "C1", token(Optional.empty(), List.of()), Optional.empty(),
                false, Optional.empty(), true, FAR))).isEqualTo(Refusal.Reason.TOKEN_EXPIRED);
        var current = Optional.of(LifecycleFixtures.active("999999999", FAR));
        assertThat(refusal(ActivationPolicy.check("me", "C1", token(Optional.empty(), List.of()), current,
                false, Optional.empty(), true, NOW))).isEqualTo(Refusal.Reason.ALREADY_ACTIVE);
        var reissue = Optional.of(new PendingIssuance(1, TokenKind.HARDWARE, PendingIssuance.ShipmentStatus.SHIPPED,
                true, NOW, Optional.empty()));
        assertThat(ActivationPolicy.check("me", "C1", token(Optional.empty(), List.of()), current, false, reissue,
                true, NOW)).isEqualTo(Outcome.done(new ActivationPolicy.Plan(current)));
    }
}
