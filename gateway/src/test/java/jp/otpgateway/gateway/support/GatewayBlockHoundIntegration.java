package jp.otpgateway.gateway.support;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The only exceptions to "no blocking on event-loop threads" in the test JVM, each as narrow as the
 * stack trace that needed it. All are short in-memory locks or spins of libraries, never I/O:
 * <ul>
 *   <li>Netty 4.2's adaptive buffer allocator briefly takes an internal lock while it grows its pools
 *       under a burst of reads (seen on a 1.6 MB CSV upload); Netty's bundled integration does not list it yet.</li>
 *   <li>Jackson 3 builds a type's deserializer once, under a lock; twenty first requests at once
 *       contended for it (seen in ConcurrencyIT). Afterwards the deserializer is served from its cache.</li>
 *   <li>Lettuce 7 guards one connection's writers with a short lock; several Netty threads writing
 *       to the guard's Redis connection at once contend for it (seen in ConcurrencyIT, redis/lettuce#2510).</li>
 *   <li>Caffeine's bounded cache spins ({@code Thread.onSpinWait}) in {@code put} while another thread
 *       finishes removing the same key's entry: a CPU spin of a few iterations, never I/O or a park
 *       (seen once in ConcurrencyIT on a starved machine: a hundred parallel codes of one user, the
 *       cached entry evicted and put again by the LOCKED recheck).</li>
 *   <li>Resilience4j's circuit breaker moves from OPEN to HALF_OPEN under a short lock: parallel
 *       requests arriving as the open period ends contend for it (seen in RedisFailoverIT, the Redis
 *       master killed under load). The lock guards a state change in memory, never I/O.</li>
 *   <li>Lettuce's Redis Cluster client keeps its connection per node under a short lock; requests
 *       routed while a failover changes the nodes contend for it (seen in RedisFailoverIT, cluster).</li>
 * </ul>
 */
public class GatewayBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
        builder.allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache",
                "_createAndCacheValueDeserializer");
        builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters");
        builder.allowBlockingCallsInside("com.github.benmanes.caffeine.cache.BoundedLocalCache", "put");
        builder.allowBlockingCallsInside("io.github.resilience4j.circuitbreaker.internal.CircuitBreakerStateMachine$OpenState",
                "toHalfOpenState");
        builder.allowBlockingCallsInside("io.lettuce.core.cluster.PooledClusterConnectionProvider", "getWriteConnection");
        builder.allowBlockingCallsInside("io.lettuce.core.cluster.PooledClusterConnectionProvider",
                "lambda$getWriteConnection$1");
    }
}
