package jp.otpgateway.tenant.load;

import java.util.List;
import jp.otpgateway.tenant.model.TenantConfig;

/** A tenant file either validated as a whole or was refused with every problem it has. */
public sealed interface LoadResult {

    record Valid(TenantConfig config) implements LoadResult {
    }

    record Invalid(List<ConfigProblem> problems) implements LoadResult {
        public Invalid {
            problems = List.copyOf(problems);
        }
    }
}
