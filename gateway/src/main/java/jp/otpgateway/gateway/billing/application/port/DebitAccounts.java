package jp.otpgateway.gateway.billing.application.port;

import java.util.Map;
import jp.otpgateway.gateway.billing.domain.DebitAccount;
import reactor.core.publisher.Mono;

/** Port: the contracts' debit accounts (代表口座). */
public interface DebitAccounts {

    /** Sets the contract's account; false when the tenant has no such contract. */
    Mono<Boolean> set(String tenantId, String contractId, DebitAccount account);

    /** Every contract of the tenant that has an account. */
    Mono<Map<String, DebitAccount>> all(String tenantId);
}
