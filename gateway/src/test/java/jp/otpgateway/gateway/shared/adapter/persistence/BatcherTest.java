package jp.otpgateway.gateway.shared.adapter.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class BatcherTest {

    /** A statement that runs until the test lets it finish, recording what each run got. */
    static final class Statement {
        final List<List<Integer>> runs = new CopyOnWriteArrayList<>();
        final List<Sinks.One<Boolean>> gates = new CopyOnWriteArrayList<>();
        final AtomicInteger running = new AtomicInteger();
        volatile int maxRunning;

        Mono<List<Optional<String>>> apply(List<Integer> inputs) {
            runs.add(List.copyOf(inputs));
            Sinks.One<Boolean> gate = Sinks.one();
            gates.add(gate);
            maxRunning = Math.max(maxRunning, running.incrementAndGet());
            return gate.asMono().map(fail -> {
                running.decrementAndGet();
                if (fail) {
                    throw new IllegalStateException("statement failed");
                }
                List<Optional<String>> out = new ArrayList<>();
                inputs.forEach(i -> out.add(i % 10 == 0 ? Optional.empty() : Optional.of("r" + i)));
                return out;
            });
        }

        void finish(int run, boolean fail) {
            gates.get(run).tryEmitValue(fail);
        }
    }

    @Test
    void aLoneRequestGoesAtOnceAndWhatArrivesMeanwhileGoesTogetherNext() {
        Statement statement = new Statement();
        Batcher<Integer, String> batcher = new Batcher<>(statement::apply, 100, 1);
        List<Mono<String>> results = new ArrayList<>();
        results.add(batcher.submit(1).cache());
        results.get(0).subscribe();
        for (int i = 2; i <= 6; i++) {
            Mono<String> r = batcher.submit(i).cache();
            r.subscribe();
            results.add(r);
        }
        assertThat(statement.runs).containsExactly(List.of(1));
        statement.finish(0, false);
        assertThat(statement.runs).containsExactly(List.of(1), List.of(2, 3, 4, 5, 6));
        statement.finish(1, false);
        StepVerifier.create(Flux.concat(results)).expectNext("r1", "r2", "r3", "r4", "r5", "r6").verifyComplete();
    }

    @Test
    void resultsGoToTheirOwnCallersAnEmptyResultIsAnEmptyMonoAndAFailureReachesTheWholeBatch() {
        Statement statement = new Statement();
        Batcher<Integer, String> batcher = new Batcher<>(statement::apply, 100, 1);
        Mono<String> first = batcher.submit(7).cache();
        first.subscribe();
        Mono<String> none = batcher.submit(10).cache();
        none.subscribe(v -> { }, e -> { });
        Mono<String> other = batcher.submit(11).cache();
        other.subscribe(v -> { }, e -> { });
        statement.finish(0, false);
        statement.finish(1, true);
        StepVerifier.create(first).expectNext("r7").verifyComplete();
        StepVerifier.create(none).verifyErrorMessage("statement failed");
        StepVerifier.create(other).verifyErrorMessage("statement failed");
        // The batcher goes on after a failure.
        Mono<String> after = batcher.submit(12).cache();
        after.subscribe();
        statement.finish(2, false);
        StepVerifier.create(after).expectNext("r12").verifyComplete();
        Mono<String> empty = batcher.submit(20);
        StepVerifier.create(empty.doOnSubscribe(s -> { })).then(() -> statement.finish(3, false))
                .verifyComplete();
    }

    @Test
    void batchesAreCappedAndNoMoreStatementsRunThanAllowed() {
        Statement statement = new Statement();
        Batcher<Integer, String> batcher = new Batcher<>(statement::apply, 3, 2);
        List<Mono<String>> results = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            Mono<String> r = batcher.submit(i).cache();
            r.subscribe();
            results.add(r);
        }
        assertThat(statement.runs).containsExactly(List.of(1), List.of(2));
        statement.finish(0, false);
        statement.finish(1, false);
        statement.finish(2, false);
        statement.finish(3, false);
        statement.finish(4, false);
        assertThat(statement.runs.subList(2, statement.runs.size())).allSatisfy(run -> assertThat(run).hasSizeLessThanOrEqualTo(3));
        assertThat(statement.maxRunning).isLessThanOrEqualTo(2);
        StepVerifier.create(Flux.concat(results)).expectNextCount(9).expectComplete().verify(Duration.ofSeconds(5));
    }
}
