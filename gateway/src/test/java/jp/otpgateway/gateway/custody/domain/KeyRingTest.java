package jp.otpgateway.gateway.custody.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jp.otpgateway.gateway.custody.domain.KeyRing.DataKey;
import jp.otpgateway.gateway.custody.domain.KeyRing.RemovalRefusal;
import org.junit.jupiter.api.Test;

class KeyRingTest {

    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    static final Duration PROPAGATION = Duration.ofSeconds(30);

    static final DataKey FIRST = new DataKey(11, KeyRing.firstKeyPrimaryFrom(), T0);
    static final DataKey ROTATED = new DataKey(22, KeyRing.rotatedKeyPrimaryFrom(T0.plusSeconds(3600), PROPAGATION),
            T0.plusSeconds(3600));
    static final KeyRing RING = new KeyRing(List.of(FIRST, ROTATED));

    @Test
    void theFirstKeySealsAtOnceAndEvenForAClockSetBack() {
        KeyRing ring = new KeyRing(List.of(FIRST));
        assertThat(ring.primaryAt(T0)).contains(FIRST);
        assertThat(ring.primaryAt(Instant.parse("2001-01-01T00:00:00Z"))).contains(FIRST);
        assertThat(new KeyRing(List.of()).primaryAt(T0)).isEmpty();
    }

    @Test
    void aRotatedKeySealsOnlyOnceItHadTimeToReachEveryInstance() {
        Instant rotatedAt = T0.plusSeconds(3600);
        assertThat(RING.primaryAt(rotatedAt)).contains(FIRST);
        assertThat(RING.primaryAt(rotatedAt.plus(PROPAGATION).minusMillis(1))).contains(FIRST);
        assertThat(RING.primaryAt(rotatedAt.plus(PROPAGATION))).contains(ROTATED);
        assertThat(RING.rotationPending(rotatedAt)).isTrue();
        // Once the first key is gone, a clock behind the one that made the rotated key still finds it.
        assertThat(new KeyRing(List.of(ROTATED)).primaryAt(rotatedAt)).contains(ROTATED);
        assertThat(RING.rotationPending(rotatedAt.plus(PROPAGATION))).isFalse();
    }

    @Test
    void anInstanceSealsOnlyWithKeysReadWithinHalfThePropagationTime() {
        assertThat(KeyRing.freshEnough(Duration.ofSeconds(15), PROPAGATION)).isTrue();
        assertThat(KeyRing.freshEnough(Duration.ofMillis(15_001), PROPAGATION)).isFalse();
    }

    @Test
    void aKeyIsRemovedOnlyWhenItNoLongerSealsAndNothingUsesIt() {
        Instant after = ROTATED.primaryFrom().plusSeconds(1);
        assertThat(RING.removal(99, 0, after)).contains(RemovalRefusal.NOT_FOUND);
        assertThat(RING.removal(ROTATED.id(), 0, after)).contains(RemovalRefusal.PRIMARY);
        assertThat(RING.removal(FIRST.id(), 1, after)).contains(RemovalRefusal.IN_USE);
        assertThat(RING.removal(FIRST.id(), 0, after)).isEmpty();
        // Before the rotated key seals, the first one still does; the rotated one will.
        Instant before = ROTATED.primaryFrom().minusSeconds(1);
        assertThat(RING.removal(FIRST.id(), 0, before)).contains(RemovalRefusal.PRIMARY);
        assertThat(RING.removal(ROTATED.id(), 0, before)).contains(RemovalRefusal.PRIMARY);
    }

    @Test
    void thePrefixIsTinksVersionByteAndTheKeyIdBigEndian() {
        assertThat(KeyRing.prefix(0x0A0B0C0DL)).containsExactly(1, 0x0A, 0x0B, 0x0C, 0x0D);
        assertThat(KeyRing.prefixHex(0xFFFFFFFEL)).isEqualTo("01fffffffe");
        assertThat(KeyRing.keyIdOf(new byte[] {1, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE, 9})).isEqualTo(0xFFFFFFFEL);
        assertThat(KeyRing.keyIdOf(new byte[] {0, 0, 0, 0, 1, 9})).isEqualTo(-1);
        assertThat(KeyRing.keyIdOf(new byte[] {1, 2})).isEqualTo(-1);
        assertThatThrownBy(() -> new DataKey(-1, T0, T0)).isInstanceOf(IllegalArgumentException.class);
    }
}
