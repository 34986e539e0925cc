package jp.otpgateway.gateway.shared.application.port;

import java.time.YearMonth;
import jp.otpgateway.gateway.shared.domain.TimePartitions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The partitions of a table partitioned by month, as the database holds them. */
public interface PartitionStore {

    /** The names of the table's attached partitions (the default one too). */
    Flux<String> partitions(TimePartitions table);

    /** The months the default partition holds rows of. */
    Flux<YearMonth> monthsInDefault(TimePartitions table);

    /**
     * Makes the month's partition, with the default partition's rows of that month moved into it, in
     * one transaction; answers the rows moved, or -1 where another instance is making it right now.
     */
    Mono<Long> create(TimePartitions table, YearMonth month);

    Mono<Boolean> isEmpty(TimePartitions table, YearMonth month);

    /** Drops the month's partition with its rows; false where a lock was not had in time (next run). */
    Mono<Boolean> drop(TimePartitions table, YearMonth month);
}
