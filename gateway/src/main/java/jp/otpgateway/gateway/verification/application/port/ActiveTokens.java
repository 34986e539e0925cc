package jp.otpgateway.gateway.verification.application.port;

import java.util.Optional;
import jp.otpgateway.gateway.verification.domain.TokenRecord;
import reactor.core.publisher.Flux;
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

    /**
     * A token named by its serial (the branch's resynchronisation): the token with its durable
     * state, a user who holds it now (the first by login ID; none while in stock), and whether it
     * was reported lost or broken or is retired.
     */
    record BySerial(TokenRecord token, Optional<String> holder, boolean suspended, boolean retired) {
    }

    /** Empty when the tenant has no such serial. */
    Mono<BySerial> bySerial(String tenantId, String serial);

    /** A user and the token of the user's ACTIVE assignment. */
    record Held(String loginId, TokenRecord token) {
    }

    /**
     * The preload's page: up to {@code limit} of the tenant's users with an ACTIVE token, in login
     * order, each after {@code afterLogin} ({@code ""}: from the first).
     */
    Flux<Held> activeTokensAfter(String tenantId, String afterLogin, int limit);
}
