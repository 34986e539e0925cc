package jp.otpgateway.gateway.lifecycle.application;

import jp.otpgateway.gateway.lifecycle.application.port.Tokens;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;

/** Use case: the operator lists tokens in use that expire within the next days (R13). */
@Service
public class ListingExpiringTokens {

    private final Tokens tokens;
    private final Clock clock;

    public ListingExpiringTokens(Tokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    public Flux<Tokens.ExpiringToken> within(TenantConfig tenant, int days) {
        return Flux.defer(() -> {
            Instant now = clock.instant();
            return tokens.expiringBetween(tenant.id(), now, now.plus(Duration.ofDays(days)));
        });
    }
}
