package jp.otpgateway.gateway.mail.application.port;

import jp.otpgateway.tenant.model.TenantConfig;
import reactor.core.publisher.Mono;

/** Port: writes one queued mail in the tenant's words and hands it to the mail server. */
public interface Mailer {

    /** Completes when the server took the mail; fails with {@link Undeliverable} when retrying cannot help. */
    Mono<Void> send(MailOutbox.Mail mail, TenantConfig tenant);

    /** The mail can never be sent as it is (a malformed address, a missing template field). */
    final class Undeliverable extends RuntimeException {

        public Undeliverable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
