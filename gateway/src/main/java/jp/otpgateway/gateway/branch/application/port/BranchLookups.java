package jp.otpgateway.gateway.branch.application.port;

import java.time.Instant;
import java.util.Optional;
import jp.otpgateway.gateway.branch.domain.Cursor;
import jp.otpgateway.gateway.branch.domain.TokenStock;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Port: what a clerk's screen reads about tokens and a user's recent history. */
public interface BranchLookups {

    /** Empty when the tenant has no such serial. */
    Mono<TokenStock> token(String tenantId, String serial);

    /** Up to {@code limit} tokens of the list, by serial, after the cursor's serial. */
    Flux<TokenStock> tokens(String tenantId, TokenStock.Listing listing, Optional<Cursor> after, int limit);

    /** One line of a user's audit trail: what was tried or done, and how it ended. */
    record RecentEvent(Instant at, String operation, String outcome) {
    }

    /** The user's latest audit events, newest first. */
    Flux<RecentEvent> recentEvents(String tenantId, String loginId, int limit);
}
