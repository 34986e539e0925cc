package jp.otpgateway.gateway.mail.adapter.smtp;

import jp.otpgateway.gateway.config.OtpProperties;
import jp.otpgateway.gateway.mail.domain.DeliverySchedule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;

@Configuration(proxyBeanMethods = false)
class MailConfiguration {

    @Bean
    MailTemplates mailTemplates() {
        return new MailTemplates();
    }

    /** The outbox's delivery settings (otp.mail.*) for SendingMail, which knows no configuration class. */
    @Bean
    DeliverySchedule mailDeliverySchedule(OtpProperties properties) {
        OtpProperties.Mail mail = properties.mail();
        return new DeliverySchedule(mail.batchSize(), mail.lease(), mail.firstRetry(), mail.maxRetryDelay(),
                mail.maxAttempts());
    }

    @Bean
    SmtpMailer smtpMailer(JavaMailSender sender, MailTemplates templates) {
        return new SmtpMailer(sender, templates);
    }
}
