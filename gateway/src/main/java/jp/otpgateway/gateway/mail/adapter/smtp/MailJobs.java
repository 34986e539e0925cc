package jp.otpgateway.gateway.mail.adapter.smtp;

import jp.otpgateway.gateway.mail.application.QueueingExpiryNotices;
import jp.otpgateway.gateway.mail.application.SendingMail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The mail outbox's two jobs, on every instance where {@code otp.mail.enabled} (the default): send
 * what is due, and queue the R13 expiry notices. Both are safe side by side on several instances
 * (leased rows, one notice per key), and a failed run is logged and tried at the next interval.
 */
@Component
@ConditionalOnProperty(name = "otp.mail.enabled", havingValue = "true", matchIfMissing = true)
public class MailJobs {

    private static final Logger log = LoggerFactory.getLogger(MailJobs.class);

    private final SendingMail sending;
    private final QueueingExpiryNotices expiryNotices;

    public MailJobs(SendingMail sending, QueueingExpiryNotices expiryNotices) {
        this.sending = sending;
        this.expiryNotices = expiryNotices;
    }

    @Scheduled(fixedDelayString = "${otp.mail.poll-interval:5s}", initialDelayString = "${otp.mail.poll-interval:5s}")
    public Mono<Long> send() {
        return sending.sendDue()
                .doOnNext(sent -> {
                    if (sent > 0) {
                        log.info("{} mails sent", sent);
                    }
                })
                .onErrorResume(e -> {
                    log.warn("mail outbox not read this time: {}", e.toString());
                    return Mono.empty();
                });
    }

    @Scheduled(fixedDelayString = "${otp.mail.expiry-notice-interval:1h}", initialDelayString = "1m")
    public Mono<Long> queueExpiryNotices() {
        return expiryNotices.queue()
                .doOnNext(queued -> {
                    if (queued > 0) {
                        log.info("{} expiry notices queued", queued);
                    }
                })
                .onErrorResume(e -> {
                    log.warn("expiry notices not queued this time: {}", e.toString());
                    return Mono.empty();
                });
    }
}
