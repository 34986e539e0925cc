package jp.otpgateway.gateway.shared.application;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jp.otpgateway.gateway.shared.application.port.PartitionStore;
import jp.otpgateway.gateway.shared.domain.TimePartitions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps the monthly partitions of the tables partitioned by time (TimePartitions): makes the
 * current month's and those ahead, moves stray rows out of the default partition into their month,
 * drops the months that are over and past keeping. Safe on every instance at once: a partition
 * another instance is making is left to it, and every step is one transaction.
 */
public class KeepingPartitions {

    /** What one run did to one table. */
    public record Run(String table, List<YearMonth> created, long rowsMoved, List<YearMonth> dropped) {
    }

    private final PartitionStore store;
    private final Clock clock;

    public KeepingPartitions(PartitionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Flux<Run> keep(List<TimePartitions> tables) {
        return Flux.fromIterable(tables).concatMap(this::keep);
    }

    public Mono<Run> keep(TimePartitions table) {
        YearMonth current = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        return Mono.zip(store.partitions(table).collectList(), store.monthsInDefault(table).collectList())
                .flatMap(found -> {
                    Set<YearMonth> existing = new HashSet<>();
                    found.getT1().forEach(name -> table.monthOf(name).ifPresent(existing::add));
                    List<YearMonth> toCreate = table.toCreate(existing, current, new HashSet<>(found.getT2()));
                    return Flux.fromIterable(toCreate)
                            .concatMap(m -> store.create(table, m).map(moved -> new Made(m, moved)))
                            .collectList()
                            .flatMap(made -> {
                                Set<YearMonth> all = new TreeSet<>(existing);
                                made.stream().filter(x -> x.moved() >= 0).forEach(x -> all.add(x.month()));
                                return Flux.fromIterable(all).filter(m -> m.isBefore(current))
                                        .concatMap(m -> goes(table, m, current)
                                                .flatMap(go -> go ? store.drop(table, m) : Mono.just(false))
                                                .filter(Boolean::booleanValue).map(dropped -> m))
                                        .collectList()
                                        .map(dropped -> new Run(table.table(),
                                                made.stream().filter(x -> x.moved() >= 0).map(Made::month).toList(),
                                                made.stream().mapToLong(x -> Math.max(0, x.moved())).sum(), dropped));
                            });
                });
    }

    private record Made(YearMonth month, long moved) {
    }

    private Mono<Boolean> goes(TimePartitions table, YearMonth month, YearMonth current) {
        if (table.keep().isPresent()) {
            return Mono.just(table.droppable(month, current, false));
        }
        return store.isEmpty(table, month).map(empty -> table.droppable(month, current, empty));
    }
}
