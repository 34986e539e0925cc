package jp.otpgateway.gateway.lifecycle.application.port;

import jp.otpgateway.gateway.custody.application.port.SeedVault;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.lifecycle.domain.TokenFacts;
import jp.otpgateway.gateway.verification.domain.TokenRecord;
import jp.otpgateway.tenant.model.HashAlgorithm;
import jp.otpgateway.tenant.model.TokenKind;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Port: the token inventory of every tenant. */
public interface Tokens {

    /** A token as stored: its seed sealed by the {@link SeedVault}. */
    record NewToken(String serial, byte[] sealedSeed, HashAlgorithm algorithm, int digits, int periodSeconds,
                    Instant expiresAt) {
    }

    /** A token near its expiry and who uses it (operator list, R13). */
    record ExpiringToken(String serial, TokenKind kind, Instant expiresAt, Optional<String> contractId,
                         List<String> users) {
        public ExpiringToken {
            users = List.copyOf(users);
        }
    }

    /** Inserts the hardware tokens whose serial the tenant does not have yet; answers how many were new. */
    Mono<Long> insertNewHardware(String tenantId, List<NewToken> tokens, Instant now);

    Mono<TokenRecord> find(String tenantId, String serial);

    /** The token with its contract and current holders; empty when the tenant has no such serial. */
    Mono<TokenFacts> facts(String tenantId, String serial);

    /**
     * What an activation reads of a token (R3, R5, R6, R11): its facts, its record for the code
     * check, and whether this user deactivated it before. One read, batched with those of parallel
     * activations (issue #16); empty when the tenant has no such serial.
     */
    record ForActivation(TokenFacts facts, TokenRecord record, boolean deactivatedByUser) {
    }

    Mono<ForActivation> forActivation(String tenantId, String loginId, String serial);

    /** What binding a token to a contract found. */
    enum Binding { BOUND, OTHER_CONTRACT, RETIRED }

    /**
     * Binds the token to the contract unless it belongs to another one or was retired meanwhile (a
     * loss report racing an activation or a shipment: the row lock orders them).
     */
    Mono<Binding> bindToContract(String tenantId, String serial, String contractId);

    /**
     * A loss or damage report: the token is marked suspended and retired at once (never activatable
     * again); answers false when it was already reported or retired. Takes the token's row lock, so
     * holders read after it in the same transaction are final.
     */
    Mono<Boolean> suspend(String tenantId, String serial, String reason, Instant now);

    /** Clears lock and failures and moves the state version on (R8); answers the serials that changed. */
    Flux<String> unlock(String tenantId, Collection<String> serials);

    /** Retires the token when nobody holds it any more (R11); true when it was retired. */
    Mono<Boolean> retireIfUnheld(String tenantId, String serial, Instant now);

    /** Tokens in use or in stock whose expiry falls in [from, to), soonest first, not retired. */
    Flux<ExpiringToken> expiringBetween(String tenantId, Instant from, Instant to);
}
