package jp.otpgateway.gateway.verification.adapter.web;

import io.swagger.v3.oas.annotations.Hidden;
import jp.otpgateway.gateway.verification.domain.OtpInput;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Benchmarks only ({@code otp.benchmark.bare-endpoint=true}, off by default): the yardstick of
 * load-tests/compare.sh. It parses the body of a verification and answers what a successful one
 * answers, with no store, no tenant and no key, in the same server and JVM as the real endpoint, so
 * the ratio of the two measures what verification itself costs.
 */
@Hidden
@RestController
@ConditionalOnProperty(name = "otp.benchmark.bare-endpoint", havingValue = "true")
public class BareEndpointController {

    @PostMapping(path = "/benchmark/bare", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<VerificationController.VerificationResponse> bare(@RequestBody VerificationController.VerificationRequest body) {
        return Mono.fromSupplier(() -> new VerificationController.VerificationResponse(
                OtpInput.read(body.otp(), true).isPresent() && body.operation() != null ? "ACCEPTED" : "REFUSED"));
    }
}
