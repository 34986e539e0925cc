package jp.otpgateway.gateway.billing.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A hardware token held by a contract from {@code from} until {@code until} (exclusive; empty while
 * it is still held): from the first of its users' activations to the end of the last user's hold.
 * A revoked or suspended hold is still held (the device is with the contract) until it ends.
 */
public record TokenHold(String contractId, String serial, Instant from, Optional<Instant> until) {

    public TokenHold {
        Objects.requireNonNull(contractId, "contractId");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        if (until.filter(u -> u.isBefore(from)).isPresent()) {
            throw new IllegalArgumentException("a hold ends after it starts: " + serial);
        }
    }
}
