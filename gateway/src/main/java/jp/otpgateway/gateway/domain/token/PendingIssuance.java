package jp.otpgateway.gateway.domain.token;

import java.time.Instant;
import java.util.Optional;
import jp.otpgateway.tenant.model.TokenKind;

/** R4: a token requested for a user and not yet activated: REQUESTED until shipped, then SHIPPED. */
public record PendingIssuance(long shipmentId, TokenKind kind, ShipmentStatus status, boolean reissue,
                              Instant requestedAt, Optional<String> serial) {

    public enum ShipmentStatus { REQUESTED, SHIPPED, COMPLETED }
}
