package jp.otpgateway.gateway.mail.application;

import jp.otpgateway.gateway.mail.application.port.MailOutbox;
import jp.otpgateway.gateway.mail.application.port.Mailer;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import jp.otpgateway.gateway.mail.domain.DeliverySchedule;
import jp.otpgateway.gateway.tenant.application.TenantRegistry;
import jp.otpgateway.tenant.model.TenantConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Use case: delivers the due mails of the outbox. A failed delivery is tried again after a growing
 * wait (otp.mail.first-retry, doubled up to otp.mail.max-retry-delay); a mail is given up (FAILED,
 * logged and counted) only after otp.mail.max-attempts or when it can never be sent. Nothing here
 * runs on a Netty thread: the mail server is called on the bounded elastic scheduler.
 */
@Service
public class SendingMail {

    private static final Logger log = LoggerFactory.getLogger(SendingMail.class);
    private static final int PARALLEL_SENDS = 4;

    private final MailOutbox outbox;
    private final Mailer mailer;
    private final TenantRegistry tenants;
    private final DeliverySchedule settings;
    private final Clock clock;
    private final MeterRegistry meters;

    public SendingMail(MailOutbox outbox, Mailer mailer, TenantRegistry tenants, DeliverySchedule schedule, Clock clock,
                       MeterRegistry meters) {
        this.outbox = outbox;
        this.mailer = mailer;
        this.tenants = tenants;
        this.settings = schedule;
        this.clock = clock;
        this.meters = meters;
    }

    /** Sends what is due now; answers how many mails the server took. */
    public Mono<Long> sendDue() {
        return Mono.defer(() -> outbox.claimDue(clock.instant(), settings.batchSize(), settings.lease())
                .flatMap(this::deliver, PARALLEL_SENDS)
                .filter(Boolean::booleanValue)
                .count());
    }

    private Mono<Boolean> deliver(MailOutbox.Mail mail) {
        Optional<TenantConfig> tenant = tenants.tenant(mail.tenantId());
        if (tenant.isEmpty()) {
            return giveUp(mail, "the tenant is no longer configured");
        }
        return mailer.send(mail, tenant.get())
                .then(Mono.defer(() -> outbox.sent(mail, clock.instant())))
                .doOnSuccess(done -> count(mail, "SENT"))
                .thenReturn(true)
                .onErrorResume(Mailer.Undeliverable.class, e -> giveUp(mail, e.getMessage()))
                .onErrorResume(e -> !(e instanceof Mailer.Undeliverable), e -> later(mail, e));
    }

    private Mono<Boolean> later(MailOutbox.Mail mail, Throwable error) {
        String reason = error.getClass().getSimpleName() + ": " + error.getMessage();
        if (mail.attempts() >= settings.maxAttempts()) {
            return giveUp(mail, "after " + mail.attempts() + " attempts: " + reason);
        }
        count(mail, "RETRY");
        log.warn("mail {}/{} ({}) not delivered, attempt {}: {}", mail.tenantId(), mail.mailId(), mail.type(),
                mail.attempts(), reason);
        return outbox.retry(mail, clock.instant().plus(settings.retryDelay(mail.attempts())), reason)
                .thenReturn(false)
                .onErrorResume(e -> Mono.just(false)); // the lease runs out and the mail is taken again
    }

    private Mono<Boolean> giveUp(MailOutbox.Mail mail, String reason) {
        count(mail, "FAILED");
        log.error("mail {}/{} ({}) given up: {}", mail.tenantId(), mail.mailId(), mail.type(), reason);
        return outbox.failed(mail, reason).thenReturn(false).onErrorResume(e -> Mono.just(false));
    }

    private void count(MailOutbox.Mail mail, String outcome) {
        meters.counter("otp.mails", "tenant", mail.tenantId(), "type", mail.type().name(), "outcome", outcome)
                .increment();
    }
}
