package jp.otpgateway.gateway.billing.application;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.otpgateway.gateway.audit.application.port.AuditLog;
import jp.otpgateway.gateway.billing.application.port.DebitAccounts;
import jp.otpgateway.gateway.billing.domain.DebitAccount;
import jp.otpgateway.gateway.shared.application.RefusedInTransaction;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Use cases: the branch records a contract's representative account (代表口座) for the debit of its
 * fees, from the contract's paper form; the debit file reads them. The audit names the clerk, never
 * the account number.
 */
@Service
public class RecordingDebitAccounts {

    private final DebitAccounts accounts;
    private final AuditLog audit;
    private final TransactionalOperator transaction;
    private final Clock clock;

    public RecordingDebitAccounts(DebitAccounts accounts, AuditLog audit, TransactionalOperator transaction,
                                  Clock clock) {
        this.accounts = accounts;
        this.audit = audit;
        this.transaction = transaction;
        this.clock = clock;
    }

    public Mono<Outcome<DebitAccount>> set(TenantConfig tenant, String contractId, DebitAccount account,
                                           String staffId, String client) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            Mono<Outcome<DebitAccount>> write = accounts.set(tenant.id(), contractId, account)
                    .flatMap(found -> found
                            ? audit.append(List.of(new AuditLog.Event(tenant.id(), now, Optional.empty(), Optional.empty(),
                                    "DEBIT_ACCOUNT", "SET", client, Optional.empty())
                                    .byStaff(staffId).aboutContract(contractId))).thenReturn(Outcome.done(account))
                            : RefusedInTransaction.<Outcome<DebitAccount>>refuse(Refusal.Reason.CONTRACT_NOT_FOUND,
                                    "no such contract"));
            return RefusedInTransaction.recover(write.as(transaction::transactional));
        });
    }

    public Mono<Map<String, DebitAccount>> all(TenantConfig tenant) {
        return accounts.all(tenant.id());
    }
}
