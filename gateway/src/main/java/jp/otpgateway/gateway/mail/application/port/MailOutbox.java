package jp.otpgateway.gateway.mail.application.port;

import jp.otpgateway.gateway.mail.application.SendingMail;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Port: mails waiting to be sent. Rows are written in the same transaction as the change they report
 * (issuance, lock) or by the expiry notice job, and delivered at least once by {@link SendingMail}.
 */
public interface MailOutbox {

    /** The mails the gateway sends; each has a Japanese template. */
    enum Type { SOFTWARE_ISSUED, EXPIRY_NOTICE, LOCK_NOTICE, SUSPENSION_NOTICE }

    /** A queued mail with the fields its template uses. {@code attempts} counts this delivery. */
    record Mail(String tenantId, long mailId, Type type, String recipient, Optional<String> loginId,
                Optional<String> serial, Optional<String> serviceId, Optional<String> appUserId,
                Optional<Instant> expiresAt, Optional<Integer> noticeDays, int attempts) {
    }

    /**
     * Leases due mails to this instance for {@code lease}: rows another instance leased are skipped,
     * and a lease that ran out (a dead instance) is taken over.
     */
    Flux<Mail> claimDue(Instant now, int limit, Duration lease);

    Mono<Void> sent(Mail mail, Instant now);

    /** Delivery failed; tried again from {@code next}. {@code error} holds no secret. */
    Mono<Void> retry(Mail mail, Instant next, String error);

    /** Delivery failed for good (after the last attempt, or a mail that can never be sent). */
    Mono<Void> failed(Mail mail, String error);

    /** R13: the notice due for tokens whose expiry falls in (from, to]. */
    record NoticeWindow(int days, Instant from, Instant to) {
    }

    /**
     * R13: queues one notice per active user of every token of the tenant expiring in a window, once
     * per token, user and notice day however often it runs; answers how many were new.
     */
    Mono<Long> queueExpiryNotices(String tenantId, List<NoticeWindow> windows, Instant now);

    /**
     * A loss or damage report: one notice to each of these users of the token (in the report's
     * transaction), to the user's address or else the one the software token went to; answers how
     * many were queued (a user without an address gets none).
     */
    Mono<Long> queueSuspensionNotices(String tenantId, String serial, List<String> loginIds, Instant now);
}
