package jp.otpgateway.gateway.shared.adapter.schedule;

import java.time.Clock;
import java.time.Period;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.shared.application.KeepingPartitions;
import jp.otpgateway.gateway.shared.application.port.PartitionStore;
import jp.otpgateway.gateway.shared.domain.TimePartitions;
import java.time.Duration;
import org.slf4j.Logger;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The monthly partitions of {@code audit_events} and {@code transactions} (migration V17) kept on
 * every instance where {@code otp.partitions.enabled} (the default): once at start, before the
 * instance reports itself started (so that the first requests' rows land in their month, and no
 * move of rows out of the default partition runs under them; at most a minute, and a failure is
 * logged, not fatal), then every {@code otp.partitions.interval} (6 h), the current month and
 * {@code otp.partitions.months-ahead}
 * (3) ahead are made, stray rows moved out of the default partitions, and past months dropped:
 * transactions once the whole month is older than {@code otp.partitions.transactions-keep}
 * (13 months), audit events once the audit purge has emptied the month.
 */
@Component
@ConditionalOnProperty(name = "otp.partitions.enabled", havingValue = "true", matchIfMissing = true)
public class PartitionJobs implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(PartitionJobs.class);

    private final KeepingPartitions keeping;
    private final List<TimePartitions> tables;

    public PartitionJobs(PartitionStore store, Clock clock,
                         @Value("${otp.partitions.months-ahead:3}") int monthsAhead,
                         @Value("${otp.partitions.transactions-keep:P13M}") Period transactionsKeep) {
        this.keeping = new KeepingPartitions(store, clock);
        this.tables = tables(monthsAhead, transactionsKeep);
    }

    /** The tables V17 partitions: one place for their names, columns and keeping. */
    public static List<TimePartitions> tables(int monthsAhead, Period transactionsKeep) {
        return List.of(
                new TimePartitions("audit_events", "occurred_at", TimePartitions.ColumnType.TIMESTAMPTZ, monthsAhead,
                        Optional.empty()),
                new TimePartitions("transactions", "business_date", TimePartitions.ColumnType.DATE, monthsAhead,
                        Optional.of(transactionsKeep)));
    }

    /** The first run, on the starting thread (not an event loop), bounded. */
    @Override
    public void run(ApplicationArguments args) {
        try {
            keep().block(Duration.ofMinutes(1));
        } catch (RuntimeException e) {
            log.warn("partitions not kept at start (next run in otp.partitions.interval): {}", e.toString());
        }
    }

    @Scheduled(fixedDelayString = "${otp.partitions.interval:6h}", initialDelayString = "${otp.partitions.interval:6h}")
    public Mono<Void> keep() {
        // table by table: one that cannot be kept this time (a lock not had) does not hold up the others
        return Flux.fromIterable(tables).concatMap(table -> keeping.keep(table)
                .onErrorResume(e -> {
                    log.warn("partitions of {} not kept this time (next run in otp.partitions.interval): {}",
                            table.table(), e.toString());
                    return Mono.empty();
                }))
                .doOnNext(run -> {
                    if (!run.created().isEmpty() || !run.dropped().isEmpty()) {
                        log.info("partitions of {}: made {} ({} rows moved from the default partition), dropped {}",
                                run.table(), run.created(), run.rowsMoved(), run.dropped());
                    }
                })
                .then();
    }
}
