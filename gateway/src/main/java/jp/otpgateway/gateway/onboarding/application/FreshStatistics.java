package jp.otpgateway.gateway.onboarding.application;

import jp.otpgateway.gateway.onboarding.application.port.TableStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * After a file's transaction the planner counts the loaded tables again, so the next file of the
 * tenant and the status and activation queries plan as well as before the load. A failure here
 * costs nothing but plans, so the import's answer stands.
 */
final class FreshStatistics {

    private static final Logger log = LoggerFactory.getLogger(FreshStatistics.class);

    private FreshStatistics() {
    }

    static <T> Mono<T> after(TableStatistics statistics, T report) {
        return statistics.refreshAfterBulkLoad()
                .doOnError(e -> log.warn("ANALYZE after a bulk load failed: {}", e.toString()))
                .onErrorResume(e -> Mono.empty())
                .thenReturn(report);
    }
}
