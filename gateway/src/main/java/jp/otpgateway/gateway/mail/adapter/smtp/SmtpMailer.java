package jp.otpgateway.gateway.mail.adapter.smtp;

import java.io.UnsupportedEncodingException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import jp.otpgateway.gateway.mail.application.port.MailOutbox;
import jp.otpgateway.gateway.mail.application.port.Mailer;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * SMTP through Spring's {@link JavaMailSender} ({@code spring.mail.*}). Jakarta Mail blocks, so each
 * mail is sent on the bounded elastic scheduler, never on a Netty thread. Text in UTF-8; the
 * Message-ID names the outbox row, so a mail sent twice (an instance died before marking it sent)
 * can be recognised by the receiving side.
 */
public class SmtpMailer implements Mailer {

    private final JavaMailSender sender;
    private final MailTemplates templates;

    public SmtpMailer(JavaMailSender sender, MailTemplates templates) {
        this.sender = sender;
        this.templates = templates;
    }

    @Override
    public Mono<Void> send(MailOutbox.Mail mail, TenantConfig tenant) {
        return Mono.fromCallable(() -> message(mail, tenant))
                .onErrorMap(e -> e instanceof AddressException || e instanceof IllegalArgumentException,
                        e -> new Undeliverable(e.getMessage(), e))
                .doOnNext(sender::send)
                .subscribeOn(Schedulers.boundedElastic())
                .then();
    }

    private MimeMessage message(MailOutbox.Mail mail, TenantConfig tenant)
            throws MessagingException, UnsupportedEncodingException {
        MailTemplates.Rendered text = templates.render(mail, tenant);
        MimeMessage message = sender.createMimeMessage();
        // JavaMailSenderImpl keeps a Message-ID that was set before sending.
        message.setHeader("Message-ID", "<otp-mail-" + mail.tenantId() + "-" + mail.mailId() + "@otp-gateway>");
        MimeMessageHelper helper = new MimeMessageHelper(message, false, StandardCharsets.UTF_8.name());
        helper.setFrom(new InternetAddress(text.from(), tenant.name(), StandardCharsets.UTF_8.name()));
        helper.setTo(InternetAddress.parse(text.to(), true));
        helper.setSubject(text.subject());
        helper.setText(text.body(), false);
        return message;
    }
}
