package jp.otpgateway.gateway.lifecycle.domain;

import java.util.EnumSet;
import java.util.Set;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import jp.otpgateway.tenant.model.TokenKind;

/**
 * A token requested for a user and not yet activated. A hardware token (R4) is REQUESTED until
 * shipped, then SHIPPED; {@code shipmentId} names the shipment. A software token (R2) is
 * SETUP_PENDING until the app fetched it, then PROVISIONED; {@code shipmentId} is then the
 * issuance's id, {@code serial} is known from the start and {@code setupIds} holds the app's IDs.
 * {@code startsOn}: a shipped hardware token's 利用開始日 (002, 004), set when it is shipped.
 */
public record PendingIssuance(long shipmentId, TokenKind kind, ShipmentStatus status, boolean reissue,
                              Instant requestedAt, Optional<String> serial, Optional<SetupIds> setupIds,
                              Optional<LocalDate> startsOn) {

    public PendingIssuance(long shipmentId, TokenKind kind, ShipmentStatus status, boolean reissue,
                           Instant requestedAt, Optional<String> serial) {
        this(shipmentId, kind, status, reissue, requestedAt, serial, Optional.empty(), Optional.empty());
    }

    /** The first instant of the start date in the tenant's zone (00:00 JST), once shipped with one. */
    public Optional<Instant> startsAt(ZoneId zone) {
        return startsOn.filter(day -> kind == TokenKind.HARDWARE && status == ShipmentStatus.SHIPPED)
                .map(day -> day.atStartOfDay(zone).toInstant());
    }

    public enum ShipmentStatus {
        REQUESTED, SHIPPED, COMPLETED, SETUP_PENDING, PROVISIONED;

        /** The statuses of a hardware shipment (the operator's list). */
        public static final Set<ShipmentStatus> SHIPMENT = EnumSet.of(REQUESTED, SHIPPED, COMPLETED);
    }

    /** R2: サービスID (8 digits) and ユーザID (12 digits) the token app's setup asks for. */
    public record SetupIds(String serviceId, String appUserId) {
    }
}
