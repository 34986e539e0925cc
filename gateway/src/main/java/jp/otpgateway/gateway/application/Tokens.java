package jp.otpgateway.gateway.application;

import java.time.Instant;
import java.util.List;
import jp.otpgateway.tenant.model.HashAlgorithm;
import reactor.core.publisher.Mono;

/** Port: the token inventory of every tenant. */
public interface Tokens {

    /** A token as stored: its seed sealed by the {@link SeedVault}. */
    record NewToken(String serial, byte[] sealedSeed, HashAlgorithm algorithm, int digits, int periodSeconds,
                    Instant expiresAt) {
    }

    /** Inserts the hardware tokens whose serial the tenant does not have yet; answers how many were new. */
    Mono<Long> insertNewHardware(String tenantId, List<NewToken> tokens, Instant now);
}
