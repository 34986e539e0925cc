package jp.otpgateway.gateway.audit.adapter.schedule;

import java.time.Duration;
import jp.otpgateway.gateway.audit.application.SealingAudit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The audit trail's jobs on every instance where {@code otp.audit.enabled} (the default): seal new
 * events into chained blocks every {@code otp.audit.seal-interval} (1 min), events at least
 * {@code otp.audit.seal-lag} old (2 min); purge blocks past each tenant's retention daily. Both take
 * the tenant's lease, so instances side by side never seal or purge twice.
 */
@Component
@ConditionalOnProperty(name = "otp.audit.enabled", havingValue = "true", matchIfMissing = true)
public class AuditJobs {

    private static final Logger log = LoggerFactory.getLogger(AuditJobs.class);

    private final SealingAudit sealing;
    private final Duration lag;

    public AuditJobs(SealingAudit sealing, @Value("${otp.audit.seal-lag:2m}") Duration lag) {
        this.sealing = sealing;
        this.lag = lag;
    }

    @Scheduled(fixedDelayString = "${otp.audit.seal-interval:1m}", initialDelayString = "${otp.audit.seal-interval:1m}")
    public Mono<Long> seal() {
        return sealing.sealAll(lag)
                .onErrorResume(e -> {
                    log.warn("audit events not sealed this time: {}", e.toString());
                    return Mono.empty();
                });
    }

    @Scheduled(fixedDelayString = "${otp.audit.purge-interval:1d}", initialDelayString = "10m")
    public Mono<Long> purge() {
        return sealing.purgeAll()
                .doOnNext(n -> {
                    if (n > 0) {
                        log.info("{} audit events past their retention purged", n);
                    }
                })
                .onErrorResume(e -> {
                    log.warn("audit purge not run this time: {}", e.toString());
                    return Mono.empty();
                });
    }
}
