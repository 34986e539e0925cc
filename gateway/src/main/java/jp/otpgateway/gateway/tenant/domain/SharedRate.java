package jp.otpgateway.gateway.tenant.domain;

/**
 * A tenant's {@code limits.requestsPerSecond} counted for all instances together (docs/architecture.md,
 * "Limits shared by every instance"): one counter per tenant and second in Redis, from which each
 * instance reserves permits a chunk at a time, so that most requests take a permit in memory and
 * only every chunk-th asks Redis. The script (tenant/adapter/redis/RedisTenantRates) adds the chunk
 * to the counter and answers its new value; these rules say how many of the chunk were granted.
 */
public final class SharedRate {

    /** At most this many round trips to Redis per tenant and second, however large the limit. */
    static final int RESERVATIONS_PER_SECOND = 50;

    private SharedRate() {
    }

    /**
     * How many permits one reservation asks for: a fiftieth of the limit, at least one. An instance
     * can hold back at most that many permits of a second that it does not use.
     */
    public static int chunk(int limit) {
        return Math.max(1, limit / RESERVATIONS_PER_SECOND);
    }

    /**
     * Of a reservation of {@code chunk} permits that brought the second's counter to {@code counted},
     * how many fall within {@code limit}: all, some (the reservation that crossed the limit), or none.
     */
    public static int granted(long counted, int chunk, int limit) {
        long before = counted - chunk;
        return (int) Math.max(0, Math.min(chunk, limit - before));
    }
}
