package jp.otpgateway.gateway.billing.adapter.persistence;

import java.util.HashMap;
import java.util.Map;
import jp.otpgateway.gateway.billing.application.port.DebitAccounts;
import jp.otpgateway.gateway.billing.domain.DebitAccount;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
public class R2dbcDebitAccounts implements DebitAccounts {

    private static final String SET = """
            UPDATE contracts SET debit_branch = :branch, debit_type = :type, debit_account = :account
             WHERE tenant_id = :tenant AND contract_id = :contract
            """;

    private static final String ALL = """
            SELECT contract_id, debit_branch, debit_type, debit_account FROM contracts
             WHERE tenant_id = :tenant AND debit_account IS NOT NULL
            """;

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcDebitAccounts(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    @Override
    public Mono<Boolean> set(String tenantId, String contractId, DebitAccount account) {
        return stores.postgres(db.sql(SET).bind("tenant", tenantId).bind("contract", contractId)
                .bind("branch", account.branchCode()).bind("type", account.type().name())
                .bind("account", account.accountNumber()).fetch().rowsUpdated().map(n -> n == 1));
    }

    @Override
    public Mono<Map<String, DebitAccount>> all(String tenantId) {
        return stores.postgres(db.sql(ALL).bind("tenant", tenantId)
                        .map(row -> Map.entry(row.get("contract_id", String.class),
                                new DebitAccount(row.get("debit_branch", String.class),
                                        DebitAccount.Type.valueOf(row.get("debit_type", String.class)),
                                        row.get("debit_account", String.class))))
                        .all())
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new)
                .map(m -> (Map<String, DebitAccount>) m);
    }
}
