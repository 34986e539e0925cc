package jp.otpgateway.gateway.lifecycle.application.port;

import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Port: the write of a user's first hardware activation (R5, R6), in one statement that is
 * group-committed with those of parallel activations (go-live, issue #16). It does what the
 * transaction of {@code ActivatingToken} does for that case: binds the token to the user's contract,
 * starts the user's ACTIVE assignment, completes the user's open shipment, voids an open software
 * setup (retiring its token), appends the ACTIVATED audit event, all or nothing per activation.
 */
public interface ActivationWrites {

    record FirstHardware(String tenantId, String loginId, String serial, String contractId, Instant at,
                         String client) {
    }

    /** What the write found; only {@code ACTIVATED} wrote anything. */
    enum Result {
        ACTIVATED,
        /** The token was retired (reported lost or broken) after the checks. */
        RETIRED,
        /** The token was bound to another contract after the checks (or, in the same batch, first). */
        OTHER_CONTRACT,
        /** The user got a current token after the checks (a concurrent activation won). */
        ALREADY_ACTIVE,
        /** The token is gone. */
        NO_TOKEN
    }

    /** {@code sharedWith}: the token's other ACTIVE holders after the write, by login. */
    record Written(Result result, List<String> sharedWith) {
        public Written {
            sharedWith = List.copyOf(sharedWith);
        }
    }

    Mono<Written> firstHardware(FirstHardware activation);
}
