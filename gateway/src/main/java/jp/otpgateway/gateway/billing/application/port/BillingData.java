package jp.otpgateway.gateway.billing.application.port;

import java.time.Instant;
import java.util.Map;
import jp.otpgateway.gateway.billing.domain.TokenHold;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Port: what the fees are computed from (hardware-token holds and fee events). */
public interface BillingData {

    /** The tenant's hardware-token holds, per contract and token, that overlap [from, to). */
    Flux<TokenHold> holds(String tenantId, Instant from, Instant to);

    /** Reissues after a loss or damage report in [from, to), per contract. */
    Mono<Map<String, Integer>> reissues(String tenantId, Instant from, Instant to);
}
