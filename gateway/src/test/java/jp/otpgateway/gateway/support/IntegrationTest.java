package jp.otpgateway.gateway.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole gateway on a random port against the real PostgreSQL (otp_test) and Redis. All classes
 * with this annotation share one Spring context; each works in its own tenant or login-id prefix.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
@ActiveProfiles("test")
@Import({TestClockConfiguration.class, OwnSession.class})
public @interface IntegrationTest {

    String ALPHA = "it-alpha";
    String BETA = "it-beta";
    String ALPHA_PORTAL = "it-alpha-portal-key";
    String ALPHA_OPERATOR = "it-alpha-operator-key";
    String BETA_PORTAL = "it-beta-portal-key";
    String BETA_OPERATOR = "it-beta-operator-key";
    /** Small limits (5 requests/s, 2 at a time): per-tenant isolation. */
    String GAMMA = "it-gamma";
    String GAMMA_PORTAL = "it-gamma-portal-key";
    String GAMMA_OPERATOR = "it-gamma-operator-key";
    /** Branch operations: activation forced at login (BLG020), deactivation with a code, exempt payees. */
    String DELTA = "it-delta";
    String DELTA_PORTAL = "it-delta-portal-key";
    String DELTA_OPERATOR = "it-delta-operator-key";
    /** The audit seals' tenant: its rows are tampered with (and restored) by AuditSealIT alone. */
    String EPSILON = "it-epsilon";
    String EPSILON_PORTAL = "it-epsilon-portal-key";
    String EPSILON_OPERATOR = "it-epsilon-operator-key";
    /** Clock drift and resynchronisation: bound 3 steps, resync window 3, lock after 3. */
    String ZETA = "it-zeta";
    String ZETA_PORTAL = "it-zeta-portal-key";
    String ZETA_OPERATOR = "it-zeta-operator-key";
    /** Key rotation and the re-seal: its data keys are rotated and removed while its users verify. */
    String ETA = "it-eta";
    String ETA_PORTAL = "it-eta-portal-key";
    String ETA_OPERATOR = "it-eta-operator-key";
    /** Crypto-shredding: its data keys are destroyed for good (CryptoShreddingIT alone). */
    String THETA = "it-theta";
    String THETA_PORTAL = "it-theta-portal-key";
    String THETA_OPERATOR = "it-theta-operator-key";
    /** The branch console: a clerk's work through /console/ (ConsoleIT, ConsoleBrowserIT). */
    String IOTA = "it-iota";
    String IOTA_PORTAL = "it-iota-portal-key";
    String IOTA_OPERATOR = "it-iota-operator-key";
}
