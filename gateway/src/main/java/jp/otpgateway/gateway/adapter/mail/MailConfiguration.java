package jp.otpgateway.gateway.adapter.mail;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;

@Configuration(proxyBeanMethods = false)
class MailConfiguration {

    @Bean
    MailTemplates mailTemplates() {
        return new MailTemplates();
    }

    @Bean
    SmtpMailer smtpMailer(JavaMailSender sender, MailTemplates templates) {
        return new SmtpMailer(sender, templates);
    }
}
