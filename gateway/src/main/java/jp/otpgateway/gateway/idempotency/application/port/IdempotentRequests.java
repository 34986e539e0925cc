package jp.otpgateway.gateway.idempotency.application.port;

import java.time.Duration;
import java.time.Instant;
import reactor.core.publisher.Mono;

/**
 * Port: the first answer to a POST with an {@code Idempotency-Key}, per tenant, client and key
 * (docs/api.md). A request claims its key before it acts; a retry gets the stored answer instead of
 * acting again.
 */
public interface IdempotentRequests {

    record Key(String tenantId, String client, String key) {
    }

    /** The first answer as it was sent: HTTP status, content type (may be null) and body bytes. */
    record StoredResponse(int status, String contentType, byte[] body) {
    }

    /** What a request finds when it presents its key. */
    sealed interface Claim {
    }

    /** The key is this request's now: act, then {@link #complete} or {@link #release}. */
    record Claimed() implements Claim {
    }

    /** An earlier request with the same key and body was answered: send its answer again. */
    record Answered(StoredResponse response) implements Claim {
    }

    /** An earlier request with the same key and body is still being answered. */
    record InProgress() implements Claim {
    }

    /** The key was used with a different request (method, path or body). */
    record Reused() implements Claim {
    }

    /**
     * Claims {@code key} for a request whose method, path and body hash to {@code fingerprint}. A
     * record past {@code expiresAt}, or an unanswered claim past its lease (its instance died), is
     * taken over.
     */
    Mono<Claim> claim(Key key, byte[] fingerprint, Instant now, Duration lease, Duration ttl);

    /** Stores the answer of a claimed request. */
    Mono<Void> complete(Key key, byte[] fingerprint, StoredResponse response);

    /** Gives a claimed key back unanswered (the request changed nothing, e.g. a store was down). */
    Mono<Void> release(Key key, byte[] fingerprint);

    /** Deletes up to {@code batch} records that expired before {@code now}; the number deleted. */
    Mono<Long> purgeExpired(Instant now, int batch);
}
