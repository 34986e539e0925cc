package jp.otpgateway.gateway.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Real parallel requests: n client threads released together by a barrier. */
public final class Parallel {

    private Parallel() {
    }

    @SuppressWarnings("rawtypes")
    public static List<EntityExchangeResult<Map>> requests(int n, IntFunction<WebTestClient.ResponseSpec> request) {
        ExecutorService clients = Executors.newFixedThreadPool(n);
        CyclicBarrier start = new CyclicBarrier(n);
        try {
            List<Future<EntityExchangeResult<Map>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(clients.submit(() -> {
                    start.await();
                    return request.apply(index).expectBody(Map.class).returnResult();
                }));
            }
            List<EntityExchangeResult<Map>> results = new ArrayList<>();
            for (Future<EntityExchangeResult<Map>> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            clients.shutdownNow();
        }
    }

    @SuppressWarnings("rawtypes")
    public static long count(List<EntityExchangeResult<Map>> results, int status) {
        return results.stream().filter(r -> r.getStatus().value() == status).count();
    }
}
