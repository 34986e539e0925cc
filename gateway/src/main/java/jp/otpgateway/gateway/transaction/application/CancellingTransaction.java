package jp.otpgateway.gateway.transaction.application;

import jp.otpgateway.gateway.transaction.application.port.Transactions;

import java.time.Clock;
import java.util.UUID;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Use case: the portal did not execute an approved transaction (POST …/transactions/{id}/cancellation).
 * A charged amount goes back to the day it was charged to (R10); a second cancellation changes
 * nothing and answers the same.
 */
@Service
public class CancellingTransaction {

    private final Transactions transactions;
    private final Clock clock;

    public CancellingTransaction(Transactions transactions, Clock clock) {
        this.transactions = transactions;
        this.clock = clock;
    }

    public Mono<Outcome<UUID>> cancel(TenantConfig tenant, UUID transactionId, String client) {
        return transactions.cancel(tenant.id(), transactionId, clock.instant(), client)
                .map(result -> result == Transactions.Cancellation.NOT_FOUND
                        ? Outcome.<UUID>refused(Refusal.Reason.TRANSACTION_NOT_FOUND, "no such transaction")
                        : Outcome.done(transactionId));
    }
}
