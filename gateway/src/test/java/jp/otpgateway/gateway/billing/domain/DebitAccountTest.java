package jp.otpgateway.gateway.billing.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jp.otpgateway.gateway.shared.domain.FieldViolation;
import jp.otpgateway.gateway.shared.domain.InvalidInput;
import jp.otpgateway.gateway.shared.domain.Validation;
import org.junit.jupiter.api.Test;

class DebitAccountTest {

    @Test
    void theThreeFieldsAreReadStrictlyAndEveryBadOneIsReported() {
        Validation ok = new Validation();
        DebitAccount a = DebitAccount.read(ok, "012", "ORDINARY", "0034567");
        ok.throwIfAny();
        assertThat(a).isEqualTo(new DebitAccount("012", DebitAccount.Type.ORDINARY, "0034567"));

        Validation bad = new Validation();
        assertThat(DebitAccount.read(bad, "12", "SAVINGS", "３４５６７８９")).isNull();
        assertThatThrownBy(bad::throwIfAny).isInstanceOfSatisfying(InvalidInput.class, e ->
                assertThat(e.violations()).extracting(FieldViolation::field)
                        .containsExactly("branchCode", "accountType", "accountNumber"));
    }

    @Test
    void theAccountNumberNeverAppearsInText() {
        DebitAccount a = new DebitAccount("012", DebitAccount.Type.CHECKING, "7654321");
        assertThat(a.toString()).doesNotContain("7654321").contains("****321");
        assertThat(a.maskedNumber()).isEqualTo("****321");
    }
}
