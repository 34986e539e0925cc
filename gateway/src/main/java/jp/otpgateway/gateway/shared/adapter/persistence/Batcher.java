package jp.otpgateway.gateway.shared.adapter.persistence;

import java.util.Collections;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Group commit for the hot path: requests that arrive while a statement is running wait for it and
 * then go together in the next one. Nothing waits on a timer: a lone request is sent at once, and
 * under load a batch holds what arrived during the previous statement (at most {@code maxBatch}).
 * At most {@code maxInFlight} statements run at the same time. Each caller gets its own result;
 * when the statement fails, every caller of that batch gets the error (and nothing of it was
 * written: one statement, one transaction).
 *
 * @param <I> one request's input
 * @param <O> one request's result; {@code Optional.empty()} from the batch function means "none" (an empty Mono)
 */
public final class Batcher<I, O> {

    private record Waiting<I, O>(I input, MonoSink<O> sink) {
    }

    private final Function<List<I>, Mono<List<Optional<O>>>> statement;
    private final int maxBatch;
    private final int maxInFlight;
    private final ConcurrentLinkedQueue<Waiting<I, O>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    /** {@code statement}: the results in the order of the inputs, one per input. */
    public Batcher(Function<List<I>, Mono<List<Optional<O>>>> statement, int maxBatch, int maxInFlight) {
        this.statement = statement;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
    }

    /**
     * The results of a batch statement whose rows carry the 1-based position of their request
     * ({@code WITH ORDINALITY}): one per request, empty where no row came back.
     */
    public static <O> List<Optional<O>> byPosition(int size, List<Map.Entry<Long, O>> rows) {
        List<Optional<O>> results = new ArrayList<>(Collections.nCopies(size, Optional.<O>empty()));
        rows.forEach(row -> results.set((int) (row.getKey() - 1), Optional.of(row.getValue())));
        return results;
    }

    public Mono<O> submit(I input) {
        return Mono.create(sink -> {
            queue.add(new Waiting<>(input, sink));
            drain();
        });
    }

    private void drain() {
        while (!queue.isEmpty()) {
            int running = inFlight.get();
            if (running >= maxInFlight) {
                return; // the running statement drains when it ends
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            List<Waiting<I, O>> batch = new ArrayList<>();
            for (Waiting<I, O> w; batch.size() < maxBatch && (w = queue.poll()) != null; ) {
                batch.add(w);
            }
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            run(batch);
        }
    }

    private void run(List<Waiting<I, O>> batch) {
        List<I> inputs = new ArrayList<>(batch.size());
        for (Waiting<I, O> w : batch) {
            inputs.add(w.input());
        }
        Mono.defer(() -> statement.apply(inputs)).defaultIfEmpty(List.of()).subscribe(
                results -> {
                    for (int i = 0; i < batch.size(); i++) {
                        Optional<O> result = i < results.size() ? results.get(i) : Optional.empty();
                        MonoSink<O> sink = batch.get(i).sink();
                        if (result.isPresent()) {
                            sink.success(result.get());
                        } else {
                            sink.success();
                        }
                    }
                },
                error -> {
                    batch.forEach(w -> w.sink().error(error));
                    finished();
                },
                this::finished);
    }

    private void finished() {
        inFlight.decrementAndGet();
        drain();
    }
}
