package jp.otpgateway.gateway.transaction.application.port;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;
import reactor.core.publisher.Mono;

/** Port: approved transactions and the fallback limit's daily usage (R10), durable and exact. */
public interface Transactions {

    /**
     * One approved decision; its audit event is written with it. {@code requestKey}: the request's
     * Idempotency-Key, if it had one. An approval of the same client, key and day that is already
     * recorded is answered as it was (its ID, the day's usage), and nothing is charged or recorded again.
     */
    record Approval(String tenantId, String loginId, String type, long amount, boolean payeeRegistered,
                    boolean otpVerified, LocalDate businessDate, Instant decidedAt, String client,
                    Optional<String> requestKey) {
    }

    /** A charged approval: its id and the day's usage including it. */
    record Charged(UUID transactionId, long usedAfter) {
    }

    enum Cancellation { CANCELLED, ALREADY_CANCELLED, NOT_FOUND }

    /** Records an approval that counts against no limit. */
    Mono<UUID> record(Approval approval);

    /**
     * Adds the amount to the user's usage of the approval's day and records it, atomically and only
     * if the usage stays within {@code dailyLimit}: parallel calls cannot together pass it. Empty
     * when it does not fit; nothing is written then.
     */
    Mono<Charged> charge(Approval approval, long dailyLimit);

    /** The user's charged, not cancelled amount of {@code day}; 0 when there is none. */
    Mono<Long> usedOn(String tenantId, String loginId, LocalDate day);

    /** Cancels once; a charged amount goes back to the day it was charged to. */
    Mono<Cancellation> cancel(String tenantId, UUID transactionId, Instant at, String client);
}
