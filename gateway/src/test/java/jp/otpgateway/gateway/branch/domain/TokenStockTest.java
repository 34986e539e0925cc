package jp.otpgateway.gateway.branch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.lifecycle.domain.AssignmentState;
import jp.otpgateway.gateway.lifecycle.domain.LossReason;
import jp.otpgateway.gateway.lifecycle.domain.OtpStatus;
import jp.otpgateway.gateway.shared.domain.InvalidInput;
import jp.otpgateway.gateway.shared.domain.Validation;
import jp.otpgateway.tenant.model.TokenKind;
import org.junit.jupiter.api.Test;

class TokenStockTest {

    static final Instant NOW = Instant.parse("2027-04-01T03:00:00Z");
    static final Instant FAR = Instant.parse("2031-04-01T03:00:00Z");

    static TokenStock token(Optional<String> contract, Optional<Instant> retired, Optional<Instant> suspended,
                            boolean locked, TokenStock.Holder... holders) {
        return new TokenStock("123456789012", TokenKind.HARDWARE, contract, FAR, retired, suspended,
                suspended.map(s -> LossReason.LOST), locked, locked ? 5 : 0, 0, List.of(holders));
    }

    static TokenStock.Holder holder(String login, AssignmentState state, boolean pending) {
        return new TokenStock.Holder(login, "C1", state, pending);
    }

    @Test
    void theStateFollowsTheTokensLife() {
        assertThat(token(Optional.empty(), Optional.empty(), Optional.empty(), false).state())
                .isEqualTo(TokenStock.State.IN_STOCK);
        assertThat(token(Optional.of("C1"), Optional.empty(), Optional.empty(), false).state())
                .isEqualTo(TokenStock.State.SHIPPED);
        assertThat(token(Optional.of("C1"), Optional.empty(), Optional.empty(), false,
                holder("a", AssignmentState.ACTIVE, false)).state()).isEqualTo(TokenStock.State.ACTIVE);
        assertThat(token(Optional.of("C1"), Optional.empty(), Optional.empty(), false,
                holder("a", AssignmentState.REVOKED, false)).state()).isEqualTo(TokenStock.State.ACTIVE);
        assertThat(token(Optional.of("C1"), Optional.of(NOW), Optional.of(NOW), false,
                holder("a", AssignmentState.SUSPENDED, false)).state()).isEqualTo(TokenStock.State.SUSPENDED);
        // every holder reissued or deactivated: the lost token is simply retired
        assertThat(token(Optional.of("C1"), Optional.of(NOW), Optional.of(NOW), false).state())
                .isEqualTo(TokenStock.State.RETIRED);
        assertThat(token(Optional.of("C1"), Optional.of(NOW), Optional.empty(), false).state())
                .isEqualTo(TokenStock.State.RETIRED);
        assertThat(TokenStock.State.SUSPENDED.label()).isEqualTo("利用停止中（紛失・破損）");
    }

    @Test
    void theListsIncludeWhatTheirNameSays() {
        TokenStock stock = token(Optional.empty(), Optional.empty(), Optional.empty(), false);
        TokenStock locked = token(Optional.of("C1"), Optional.empty(), Optional.empty(), true,
                holder("a", AssignmentState.ACTIVE, false));
        TokenStock lostLocked = token(Optional.of("C1"), Optional.of(NOW), Optional.of(NOW), true,
                holder("a", AssignmentState.SUSPENDED, false));
        assertThat(TokenStock.Listing.IN_STOCK.includes(stock)).isTrue();
        assertThat(TokenStock.Listing.IN_STOCK.includes(locked)).isFalse();
        assertThat(TokenStock.Listing.LOCKED.includes(locked)).isTrue();
        assertThat(TokenStock.Listing.LOCKED.includes(lostLocked)).isFalse();
        assertThat(TokenStock.Listing.SUSPENDED.includes(lostLocked)).isTrue();
        assertThat(TokenStock.Listing.SUSPENDED.includes(stock)).isFalse();
    }

    @Test
    void eachHolderShowsItsOwnStatus() {
        TokenStock t = token(Optional.of("C1"), Optional.empty(), Optional.empty(), true,
                holder("a", AssignmentState.ACTIVE, false), holder("b", AssignmentState.REVOKED, true),
                holder("c", AssignmentState.REVOKED, false));
        assertThat(t.statusOf(t.holders().get(0), NOW)).isEqualTo(OtpStatus.LOCKED);
        assertThat(t.statusOf(t.holders().get(1), NOW)).isEqualTo(OtpStatus.ISSUED);
        assertThat(t.statusOf(t.holders().get(2), NOW)).isEqualTo(OtpStatus.REVOKED);
        assertThat(t.statusOf(t.holders().get(0), FAR)).isEqualTo(OtpStatus.EXPIRED);
    }

    @Test
    void aCursorIsOpaqueAndOnlyItsOwnFormIsAccepted() {
        Cursor c = new Cursor("00012345678");
        assertThat(c.encoded()).doesNotContain("00012345678");
        Validation ok = new Validation();
        assertThat(Cursor.read(ok, c.encoded())).contains(c);
        assertThat(Cursor.read(ok, null)).isEmpty();
        ok.throwIfAny();
        for (String bad : List.of("00012345678", "!!!", "czphYmM" /* "s:abc" */, "x".repeat(41))) {
            Validation v = new Validation();
            assertThat(Cursor.read(v, bad)).isEmpty();
            assertThatThrownBy(v::throwIfAny).isInstanceOf(InvalidInput.class);
        }
    }
}
