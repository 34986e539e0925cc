package jp.otpgateway.gateway.tenant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SharedRateTest {

    @Test
    void aReservationIsAFiftiethOfTheLimitAndAtLeastOne() {
        assertThat(SharedRate.chunk(5)).isEqualTo(1);
        assertThat(SharedRate.chunk(100)).isEqualTo(2);
        assertThat(SharedRate.chunk(20_000)).isEqualTo(400);
    }

    @Test
    void theReservationsOfASecondTogetherGrantExactlyTheLimit() {
        int limit = 1_001;
        int chunk = SharedRate.chunk(limit); // 20
        long counted = 0;
        long granted = 0;
        for (int i = 0; i < 100; i++) { // more reservations than the second has room for
            counted += chunk;
            granted += SharedRate.granted(counted, chunk, limit);
        }
        assertThat(granted).isEqualTo(limit);
        assertThat(SharedRate.granted(1_000, 20, limit)).isEqualTo(20);
        assertThat(SharedRate.granted(1_020, 20, limit)).isEqualTo(1); // the one that crosses the limit
        assertThat(SharedRate.granted(1_040, 20, limit)).isZero();
    }
}
