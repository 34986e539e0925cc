package jp.otpgateway.gateway.shared.adapter.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import jp.otpgateway.gateway.shared.domain.Refusal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every refusal a use case can return is a problem of the API with the code of the same name (docs/api.md). */
class RefusalsTest {

    @ParameterizedTest
    @EnumSource(Refusal.Reason.class)
    void everyReasonIsAnErrorCodeOfTheApi(Refusal.Reason reason) {
        ApiException problem = Refusals.problem(Refusal.of(reason, "detail"), ZoneId.of("Asia/Tokyo"));
        assertThat(problem.code().name()).isEqualTo(reason.name());
        assertThat(problem.code().message()).isNotBlank();
    }
}
