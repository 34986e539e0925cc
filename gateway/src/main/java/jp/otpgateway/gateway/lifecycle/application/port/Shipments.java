package jp.otpgateway.gateway.lifecycle.application.port;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import jp.otpgateway.gateway.lifecycle.domain.IssuancePolicy;
import jp.otpgateway.gateway.lifecycle.domain.PendingIssuance;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Port: hardware-token shipment requests (R4). */
public interface Shipments {

    record Shipment(long id, String loginId, String contractId, String name, IssuancePolicy.Channel channel,
                    boolean reissue, PendingIssuance.ShipmentStatus status, Instant requestedAt,
                    Optional<String> serial, Optional<Instant> shippedAt, Optional<LocalDate> startsOn) {
    }

    /**
     * Records a request; fails with a duplicate key when the user already has an open one, and is empty
     * when the user awaits a software token.
     */
    Mono<Long> request(String tenantId, String loginId, IssuancePolicy.Channel channel, boolean reissue, Instant now);

    Flux<Shipment> withStatus(String tenantId, PendingIssuance.ShipmentStatus status);

    Mono<Shipment> find(String tenantId, long id);

    /**
     * REQUESTED → SHIPPED with the serial and the start date (利用開始日); false when the shipment
     * was no longer REQUESTED.
     */
    Mono<Boolean> ship(String tenantId, long id, String serial, LocalDate startsOn, Instant now);

    /** Whether an open shipment already carries this serial. */
    Mono<Boolean> serialShipped(String tenantId, String serial);

    /** The user's open shipment is done: a token was activated. */
    Mono<Void> complete(String tenantId, String loginId, Instant now);
}
