package jp.otpgateway.gateway;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * BlockHound is installed in every test JVM (blockhound-junit-platform): a blocking call on a
 * non-blocking thread fails the test that makes it. This proves the guard is really on.
 */
class BlockHoundActiveTest {

    @Test
    void blockingCallOnAParallelThreadIsCaught() {
        Mono<Object> blocking = Mono.fromCallable(() -> {
            Thread.yield();
            return new Object();
        }).subscribeOn(Schedulers.parallel());
        assertThatThrownBy(() -> blocking.block(Duration.ofSeconds(5)))
                .hasCauseInstanceOf(BlockingOperationError.class);
    }
}
