package jp.otpgateway.gateway.shared.application;

import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import org.springframework.dao.DuplicateKeyException;
import reactor.core.publisher.Mono;

/**
 * A refusal found in the middle of a transaction (a concurrent change won): raised to roll the
 * transaction back, then turned into the refusal value outside of it by {@link #recover}.
 */
public final class RefusedInTransaction extends RuntimeException {

    private final transient Refusal refusal;

    RefusedInTransaction(Refusal.Reason reason, String detail) {
        super(detail, null, false, false);
        this.refusal = Refusal.of(reason, detail);
    }

    public static <T> Mono<T> refuse(Refusal.Reason reason, String detail) {
        return Mono.error(new RefusedInTransaction(reason, detail));
    }

    /** A unique constraint says a concurrent request did it first: refused with {@code reason}. */
    public static <T> Mono<T> onDuplicate(Mono<T> write, Refusal.Reason reason, String detail) {
        return write.onErrorMap(DuplicateKeyException.class, e -> new RefusedInTransaction(reason, detail));
    }

    public static <T> Mono<Outcome<T>> recover(Mono<Outcome<T>> transactional) {
        return transactional.onErrorResume(RefusedInTransaction.class, e -> Mono.just(Outcome.refused(e.refusal)));
    }
}
