package jp.otpgateway.gateway.verification.application.port;

import jp.otpgateway.gateway.verification.domain.TokenRecord;
import reactor.core.publisher.Mono;

/** Port: the token a user verifies with (hot path step 2, when it is not in memory). */
public interface ActiveTokens {

    /** The token of the user's ACTIVE assignment; empty when the user has none. */
    Mono<TokenRecord> activeTokenOf(String tenantId, String loginId);

    /** Why a user has no active token (only asked when {@link #activeTokenOf} found none). */
    enum Absence {
        NO_USER,
        NO_ACTIVE_TOKEN,
        /** The user's token was reported lost or broken at the branch. */
        SUSPENDED
    }

    Mono<Absence> absenceOf(String tenantId, String loginId);
}
