package jp.otpgateway.gateway.billing.application.port;

import java.time.Instant;
import jp.otpgateway.gateway.lifecycle.domain.LossReason;
import reactor.core.publisher.Mono;

/**
 * Port: the chargeable events besides the monthly token fee (R15). Written in the transaction of the
 * change they charge for, never updated; the monthly statement reads them.
 */
public interface FeeEvents {

    /**
     * 002: ハードウェアトークン再発行手数料 — a hardware token reissued by the branch after a loss or
     * damage report. {@code serial}: the token that was lost; {@code shipmentId}: the replacement.
     */
    record Reissue(String tenantId, String contractId, String loginId, String serial, long shipmentId,
                   LossReason reason, Instant at, String staffId) {
    }

    Mono<Void> reissue(Reissue event);
}
