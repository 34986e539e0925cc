package jp.otpgateway.gateway.shared.adapter.resilience;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;

/** Which failures mean "a store cannot be reached": answered 503 and counted by the circuit breakers. */
public final class StoreFailures {

    private StoreFailures() {
    }

    public static boolean isUnavailable(Throwable failure) {
        return causedBy(failure, R2dbcNonTransientResourceException.class)
                || causedBy(failure, R2dbcTransientResourceException.class)
                || causedBy(failure, DataAccessResourceFailureException.class)
                || causedBy(failure, QueryTimeoutException.class)
                || causedBy(failure, RedisConnectionFailureException.class)
                || isLettuceTransportFailure(failure)
                || causedBy(failure, ConnectException.class)
                || causedBy(failure, TimeoutException.class)
                || causedBy(failure, CallNotPermittedException.class);
    }

    /**
     * The errors a Redis server answers while it cannot serve, during a failover or a start: a
     * Cluster without a master for a slot (CLUSTERDOWN, TRYAGAIN), a replica without its master
     * (MASTERDOWN), a server loading its data (LOADING), a demoted master written to (READONLY).
     */
    static final java.util.List<String> REDIS_NOT_SERVING = java.util.List.of("CLUSTERDOWN", "TRYAGAIN", "MASTERDOWN",
            "LOADING", "READONLY");

    /**
     * Lettuce reports a lost or refused connection as a plain RedisException ("Currently not
     * connected"); an error Redis itself answered is a RedisCommandExecutionException: a bug, not an
     * outage, unless it is one of {@link #REDIS_NOT_SERVING}.
     */
    private static boolean isLettuceTransportFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RedisCommandExecutionException answered) {
                String message = answered.getMessage() == null ? "" : answered.getMessage();
                if (REDIS_NOT_SERVING.stream().anyMatch(code -> message.startsWith(code + " ") || message.equals(code))) {
                    return true;
                }
            } else if (t instanceof RedisException) {
                return true;
            }
        }
        return false;
    }

    public static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
