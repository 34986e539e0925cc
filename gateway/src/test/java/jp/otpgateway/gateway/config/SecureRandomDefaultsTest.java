package jp.otpgateway.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A SCRAM login draws its nonce from {@code new SecureRandom()} on an event-loop thread
 * (r2dbc-postgresql). The test JVM runs with the gateway's setting, so the default is the DRBG, and
 * BlockHound (active in every test) proves that creating and drawing from one does not block a
 * non-blocking thread. The Linux default, NativePRNG, reads /dev/urandom there (PostgresLoginIT and
 * every integration test log in with SCRAM).
 */
class SecureRandomDefaultsTest {

    @Test
    void theDefaultGeneratorIsTheDrbg() {
        assertThat(SecureRandomDefaults.seedOnce()).isEqualTo("DRBG");
    }

    @Test
    void aNewDefaultGeneratorDrawsOnANonBlockingThreadWithoutFileReads() {
        SecureRandomDefaults.seedOnce();
        byte[] nonce = Mono.fromCallable(() -> {
                    byte[] bytes = new byte[18];
                    new SecureRandom().nextBytes(bytes);
                    return bytes;
                })
                .subscribeOn(Schedulers.parallel())
                .block();
        assertThat(nonce).hasSize(18);
    }

    @Test
    void aSeedSourceGivenOnTheCommandLineIsKept() {
        String before = System.getProperty(SecureRandomDefaults.EGD);
        try {
            System.setProperty(SecureRandomDefaults.EGD, "file:/dev/./random-of-the-bank");
            SecureRandomDefaults.preferDrbg();
            assertThat(System.getProperty(SecureRandomDefaults.EGD)).isEqualTo("file:/dev/./random-of-the-bank");
        } finally {
            System.setProperty(SecureRandomDefaults.EGD, before);
        }
    }
}
