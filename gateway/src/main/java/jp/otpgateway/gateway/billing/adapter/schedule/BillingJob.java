package jp.otpgateway.gateway.billing.adapter.schedule;

import jp.otpgateway.gateway.billing.application.ClosingStatements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The monthly closing (R15): every {@code otp.billing.check-interval} (10 min) each tenant's previous
 * month is closed once its billing day has come, on whichever instance gets the month's lease first;
 * the others find it closed. A failed run is logged and tried at the next interval.
 */
@Component
@ConditionalOnProperty(name = "otp.billing.enabled", havingValue = "true", matchIfMissing = true)
public class BillingJob {

    private static final Logger log = LoggerFactory.getLogger(BillingJob.class);

    private final ClosingStatements statements;

    public BillingJob(ClosingStatements statements) {
        this.statements = statements;
    }

    @Scheduled(fixedDelayString = "${otp.billing.check-interval:10m}", initialDelayString = "${otp.billing.initial-delay:2m}")
    public Mono<Long> closeDue() {
        return statements.closeDue()
                .doOnNext(closed -> {
                    if (closed > 0) {
                        log.info("{} monthly statements closed", closed);
                    }
                })
                .onErrorResume(e -> {
                    log.warn("monthly statements not closed this time: {}", e.toString());
                    return Mono.empty();
                });
    }
}
