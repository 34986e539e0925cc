package jp.otpgateway.gateway.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.otpgateway.tenant.model.Fees;
import org.junit.jupiter.api.Test;

/** R15 (002: １個目まで無料。２個目以降は１台につき月額１１０円…再発行手数料 ２，２００円) case by case. */
class FeeRulesTest {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final Fees MANUAL = new Fees(1, 110, 2200, 10);
    static final BillingMonth NOVEMBER = new BillingMonth(YearMonth.of(2026, 11), TOKYO);

    static Instant jst(String local) {
        return LocalDateTime.parse(local).atZone(TOKYO).toInstant();
    }

    static TokenHold held(String serial, String from) {
        return new TokenHold("C1", serial, jst(from), Optional.empty());
    }

    static TokenHold held(String serial, String from, String until) {
        return new TokenHold("C1", serial, jst(from), Optional.of(jst(until)));
    }

    static ContractStatement november(List<TokenHold> holds, int reissues) {
        return FeeRules.contract("C1", holds, reissues, List.of(), NOVEMBER, MANUAL);
    }

    @Test
    void oneTokenIsFree() {
        ContractStatement s = november(List.of(held("1", "2026-01-05T10:00:00")), 0);
        assertThat(s.tokens()).isEqualTo(1);
        assertThat(s.lines()).isEmpty();
        assertThat(s.total()).isZero();
    }

    @Test
    void threeTokensOneSharedByTwoUsersCost220() {
        // The holds of two users of one token are one device (１台を複数のユーザで共有可能).
        ContractStatement s = november(List.of(held("1", "2026-01-05T10:00:00"), held("2", "2026-02-01T10:00:00"),
                held("3", "2026-03-01T10:00:00"), held("3", "2026-04-01T10:00:00")), 0);
        assertThat(s.tokens()).isEqualTo(3);
        assertThat(s.lines()).containsExactly(FeeLine.charge(FeeLine.Kind.MONTHLY_TOKEN, 2, 110));
        assertThat(s.total()).isEqualTo(220);
    }

    @Test
    void aReissueAfterLossAdds2200() {
        ContractStatement s = november(List.of(held("1", "2026-01-05T10:00:00")), 1);
        assertThat(s.lines()).containsExactly(FeeLine.charge(FeeLine.Kind.REISSUE, 1, 2200));
        assertThat(s.total()).isEqualTo(2200);
    }

    @Test
    void theReplacementOfALostTokenIsNotASecondToken() {
        // The lost token's hold ends (ENDED) the instant the reissued one is activated.
        ContractStatement s = november(List.of(held("1", "2026-01-05T10:00:00", "2026-11-20T09:00:00"),
                held("2", "2026-11-20T09:00:00")), 1);
        assertThat(s.tokens()).isEqualTo(1);
        assertThat(s.total()).isEqualTo(2200);
    }

    @Test
    void theMonthIsTheCalendarMonthInTokyoToTheSecond() {
        TokenHold own = held("1", "2026-01-05T10:00:00");
        // activated at 23:59:59 on the last day: counted for November
        assertThat(november(List.of(own, held("2", "2026-11-30T23:59:59")), 0).total()).isEqualTo(110);
        // activated at 00:00:00 on 1 December: not November's
        assertThat(november(List.of(own, held("2", "2026-12-01T00:00:00")), 0).total()).isZero();
        // deactivated at 00:00:00 on 1 November: held no instant of November
        assertThat(november(List.of(own, held("2", "2026-10-01T00:00:00", "2026-11-01T00:00:00")), 0).total()).isZero();
        // deactivated at 00:00:01 on 1 November: held one second of November, the whole month's fee
        assertThat(november(List.of(own, held("2", "2026-10-01T00:00:00", "2026-11-01T00:00:01")), 0).total())
                .isEqualTo(110);
        assertThat(NOVEMBER.start()).isEqualTo(Instant.parse("2026-10-31T15:00:00Z"));
        assertThat(NOVEMBER.end()).isEqualTo(Instant.parse("2026-11-30T15:00:00Z"));
        assertThat(NOVEMBER.closingDue(10)).isEqualTo(jst("2026-12-10T00:00:00"));
    }

    @Test
    void tokensHeldAtDifferentTimesOfTheMonthAreNotHeldTogether() {
        // retired mid-month, another activated later: never two at once
        ContractStatement s = november(List.of(held("1", "2026-01-05T10:00:00", "2026-11-10T00:00:00"),
                held("2", "2026-11-15T00:00:00")), 0);
        assertThat(s.tokens()).isEqualTo(1);
        assertThat(s.total()).isZero();
    }

    @Test
    void sharedThenUnsharedIsOneTokenAndOwnTokensAfterwardsCount() {
        // B shares A's token, then leaves it and activates a token of its own: two at once from then on
        ContractStatement s = november(List.of(held("1", "2026-01-05T10:00:00"),
                held("1", "2026-02-05T10:00:00", "2026-11-12T10:00:00"), held("2", "2026-11-12T10:00:00")), 0);
        assertThat(s.tokens()).isEqualTo(2);
        assertThat(s.total()).isEqualTo(110);
    }

    @Test
    void theTenantsFeesAreThoseOfItsFile() {
        Fees generous = new Fees(3, 200, 0, 28);
        List<TokenHold> four = List.of(held("1", "2026-01-01T00:00:00"), held("2", "2026-01-01T00:00:00"),
                held("3", "2026-01-01T00:00:00"), held("4", "2026-01-01T00:00:00"));
        ContractStatement s = FeeRules.contract("C1", four, 2, List.of(), NOVEMBER, generous);
        assertThat(s.lines()).containsExactly(FeeLine.charge(FeeLine.Kind.MONTHLY_TOKEN, 1, 200));
    }

    @Test
    void aChangeToAClosedMonthIsTheNextMonthsAdjustment() {
        List<ContractStatement> now = FeeRules.month(List.of(held("1", "2026-01-05T10:00:00"),
                        held("2", "2026-11-28T10:00:00"), new TokenHold("C2", "9", jst("2026-01-01T00:00:00"),
                                Optional.empty())), Map.of("C3", 1), Map.of(), NOVEMBER, MANUAL);
        // November was closed on the 25th, billing C1 and C2 nothing and C4 a reissue C4 no longer shows
        Map<String, List<FeeLine>> adjustments = FeeRules.adjustments(NOVEMBER, Map.of("C1", 0L, "C2", 0L, "C4", 2200L),
                now);
        assertThat(adjustments).containsOnlyKeys("C1", "C3", "C4");
        assertThat(adjustments.get("C1")).containsExactly(FeeLine.adjustment(YearMonth.of(2026, 11), 110));
        assertThat(adjustments.get("C3")).containsExactly(FeeLine.adjustment(YearMonth.of(2026, 11), 2200));
        assertThat(adjustments.get("C4")).containsExactly(FeeLine.adjustment(YearMonth.of(2026, 11), -2200));

        BillingMonth december = new BillingMonth(YearMonth.of(2026, 12), TOKYO);
        ContractStatement c1 = FeeRules.contract("C1", List.of(held("1", "2026-01-05T10:00:00")), 0,
                adjustments.get("C1"), december, MANUAL);
        assertThat(c1.total()).isEqualTo(110);
        assertThat(c1.ownTotal()).isZero();
    }

    @Test
    void linesAreConsistent() {
        assertThatThrownBy(() -> new FeeLine(FeeLine.Kind.MONTHLY_TOKEN, 2, 110, 200, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FeeLine(FeeLine.Kind.ADJUSTMENT, 1, 5, 5, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenHold("C1", "1", jst("2026-11-02T00:00:00"),
                Optional.of(jst("2026-11-01T00:00:00")))).isInstanceOf(IllegalArgumentException.class);
    }
}
