package jp.otpgateway.gateway.shared.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KeysetTest {

    static final Pattern KEY = Pattern.compile("[A-Za-z0-9-]{1,64}");

    @Test
    void aCursorIsReadBackOnlyWithItsPrefixAndAKeyOfItsForm() {
        String c = Keyset.encode("c:", "C-0001");
        assertThat(c).doesNotContain("C-0001");
        assertThat(Keyset.decode("c:", c, KEY)).contains("C-0001");
        assertThat(Keyset.decode("s:", c, KEY)).isEmpty();
        assertThat(Keyset.decode("c:", Keyset.encode("c:", "bad key!"), KEY)).isEmpty();
        assertThat(Keyset.decode("c:", "%%%", KEY)).isEmpty();
        assertThat(Keyset.decode("c:", "A".repeat(201), KEY)).isEmpty();
    }

    @Test
    void badCursorsAndLimitsAreFieldViolations() {
        Validation v = new Validation();
        assertThat(Keyset.limit(v, null, 50, 200)).isEqualTo(50);
        assertThat(Keyset.limit(v, "200", 50, 200)).isEqualTo(200);
        assertThat(Keyset.after(v, "c:", null, KEY)).isEmpty();
        v.throwIfAny();
        Validation bad = new Validation();
        Keyset.limit(bad, "0", 50, 200);
        Keyset.limit(bad, "201", 50, 200);
        Keyset.limit(bad, "ten", 50, 200);
        Keyset.after(bad, "c:", "nope", KEY);
        assertThatThrownBy(bad::throwIfAny).isInstanceOfSatisfying(InvalidInput.class, e ->
                assertThat(e.violations()).extracting(FieldViolation::field)
                        .containsExactly("limit", "limit", "limit", "cursor"));
    }
}
