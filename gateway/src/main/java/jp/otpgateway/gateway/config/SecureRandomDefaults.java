package jp.otpgateway.gateway.config;

import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The JVM's default {@link SecureRandom} must not read a file on an event-loop thread.
 *
 * <p>r2dbc-postgresql answers a SCRAM-SHA-256 login (how every production PostgreSQL checks
 * passwords) on the Netty thread that receives the server's challenge, and its SCRAM client draws
 * the nonce from {@code new SecureRandom()}. On Linux that default is {@code NativePRNG}, which
 * reads {@code /dev/urandom} on every draw: blocking file I/O on the event loop (BlockHound:
 * {@code FileInputStream#readBytes}; a login that throws there also left its server slot open until
 * the server's authentication timeout). With {@code java.security.egd} pointing at a URL other than
 * {@code file:/dev/random} or {@code file:/dev/urandom}, the JDK makes its DRBG (NIST SP 800-90A
 * Hash_DRBG, SHA-256) the default instead: it is seeded once per JVM from the operating system and
 * then works in memory. {@link #preferDrbg()} sets that before anything loads the SUN provider;
 * the bean seeds it once on the starting thread and says which generator is in force.
 */
@Component
public class SecureRandomDefaults {

    static final String EGD = "java.security.egd";
    static final String NON_BLOCKING_SEED_SOURCE = "file:/dev/./urandom";
    private static final Logger log = LoggerFactory.getLogger(SecureRandomDefaults.class);

    private final String algorithm;

    public SecureRandomDefaults() {
        this.algorithm = seedOnce();
        if ("DRBG".equals(algorithm)) {
            log.info("default SecureRandom is DRBG (seeded once; no file reads on event-loop threads)");
        } else {
            log.warn("default SecureRandom is {}: each database login (SCRAM) reads /dev/urandom on an event-loop "
                    + "thread; start the JVM with -D{}={}", algorithm, EGD, NON_BLOCKING_SEED_SOURCE);
        }
    }

    /** Called first in {@code main}; a value given on the command line is kept. */
    public static void preferDrbg() {
        if (System.getProperty(EGD) == null) {
            System.setProperty(EGD, NON_BLOCKING_SEED_SOURCE);
        }
    }

    /** Creates and draws from a default generator, so that the JDK's one-time seeding happens here. */
    static String seedOnce() {
        SecureRandom random = new SecureRandom();
        random.nextBytes(new byte[32]);
        return random.getAlgorithm();
    }

    public String algorithm() {
        return algorithm;
    }
}
