package jp.otpgateway.gateway.verification.domain;

/**
 * The durable copy of a token's guard state (R1, R7): lock flag, consecutive failures, the highest
 * accepted time step, and the version that every unlock increments.
 */
public record TokenState(boolean locked, int failures, long lastUsedStep, long version) {
}
