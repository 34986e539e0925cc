package jp.otpgateway.gateway.support;

import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.ALPHA_PORTAL;
import static jp.otpgateway.gateway.support.IntegrationTest.BETA;
import static jp.otpgateway.gateway.support.IntegrationTest.BETA_OPERATOR;
import static jp.otpgateway.gateway.support.IntegrationTest.BETA_PORTAL;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What most integration tests start from: the API of both test tenants as their portal and
 * operator call it, and the gateway's clock, set back to real time after each test. Subclasses
 * carry {@link IntegrationTest} themselves.
 */
public abstract class TwoTenantsTest {

    @Autowired
    protected WebTestClient http;

    @Autowired
    protected TestClock clock;

    protected OtpApi alpha;
    protected OtpApi beta;

    @BeforeEach
    void tenants() {
        alpha = new OtpApi(http, ALPHA, ALPHA_PORTAL, ALPHA_OPERATOR, clock);
        beta = new OtpApi(http, BETA, BETA_PORTAL, BETA_OPERATOR, clock);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }
}
