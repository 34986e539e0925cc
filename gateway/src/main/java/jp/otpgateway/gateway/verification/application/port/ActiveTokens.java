package jp.otpgateway.gateway.verification.application.port;

import jp.otpgateway.gateway.verification.domain.TokenRecord;
import reactor.core.publisher.Mono;

/** Port: the token a user verifies with (hot path step 2, when it is not in memory). */
public interface ActiveTokens {

    /** The token of the user's ACTIVE assignment; empty when the user has none. */
    Mono<TokenRecord> activeTokenOf(String tenantId, String loginId);
}
