package jp.otpgateway.gateway.onboarding.domain;

import java.time.Instant;
import jp.otpgateway.tenant.model.HashAlgorithm;

/** One valid row of a hardware-token delivery file: the seed in clear, before it is sealed. */
public record ImportedToken(String serial, byte[] seed, HashAlgorithm algorithm, int digits, int periodSeconds,
                            Instant expiresAt) {

    @Override
    public String toString() {
        return "ImportedToken[serial=" + serial + ", seed=(hidden)]";
    }
}
