package jp.otpgateway.gateway.verification.application.port;

import java.util.Optional;
import jp.otpgateway.gateway.verification.domain.TokenRecord;

/**
 * Port: the users' active tokens kept in memory, so that a verification needs no database read
 * (docs/architecture.md, hot path step 2). Every change of a user's assignment or of a token's fixed
 * facts invalidates the entry on every instance; while an instance cannot hear those changes it
 * keeps nothing. Only a token's fixed facts and its state version are relied on from an entry:
 * the lock, failures and last step are the guard's.
 *
 * <p>A database read that may be cached takes a {@link #ticket()} before it starts; its result is
 * kept only if no invalidation came in between, so a read that saw the old state never outlives
 * the change.
 */
public interface ActiveTokenCache {

    /** No cache ({@code otp.hot-path.token-cache-size: 0}): every lookup reads the database. */
    ActiveTokenCache NONE = new ActiveTokenCache() {
        @Override
        public Optional<TokenRecord> get(String tenantId, String loginId) {
            return Optional.empty();
        }

        @Override
        public long ticket() {
            return 0;
        }

        @Override
        public void put(String tenantId, String loginId, TokenRecord token, long ticket) {
        }

        @Override
        public void evict(String tenantId, String loginId) {
        }

        @Override
        public void replace(String tenantId, String loginId, TokenRecord kept, TokenRecord updated) {
        }
    };

    Optional<TokenRecord> get(String tenantId, String loginId);

    long ticket();

    void put(String tenantId, String loginId, TokenRecord token, long ticket);

    void evict(String tenantId, String loginId);

    /**
     * Puts {@code updated} in place of {@code kept} only while {@code kept} (this very entry) is
     * still there: a change announced meanwhile, or another entry stored since, wins.
     */
    void replace(String tenantId, String loginId, TokenRecord kept, TokenRecord updated);
}
