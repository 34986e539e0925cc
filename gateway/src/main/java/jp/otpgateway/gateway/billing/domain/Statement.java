package jp.otpgateway.gateway.billing.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A month's statement: a preview while OPEN (computed on each read), the record as closed once
 * CLOSED (never recomputed). Yen, tax included.
 */
public record Statement(BillingMonth month, Status status, Optional<Instant> closedAt, List<ContractStatement> contracts) {

    public enum Status { OPEN, CLOSED }

    public Statement {
        contracts = List.copyOf(contracts);
    }

    public long total() {
        return contracts.stream().mapToLong(ContractStatement::total).sum();
    }

    public int tokens() {
        return contracts.stream().mapToInt(ContractStatement::tokens).sum();
    }
}
