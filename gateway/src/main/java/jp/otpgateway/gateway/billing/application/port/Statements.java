package jp.otpgateway.gateway.billing.application.port;

import jp.otpgateway.gateway.billing.domain.BillingMonth;
import jp.otpgateway.gateway.billing.domain.Statement;
import reactor.core.publisher.Mono;

/** Port: the closed statements, each written once and never changed. */
public interface Statements {

    /** The closed statement of the month; empty while it is open. */
    Mono<Statement> closed(String tenantId, BillingMonth month);

    /**
     * The closing's lease: held by this transaction until it ends (commit, rollback, or the
     * connection's death), so that one instance closes a month while another waits and then finds it
     * closed. Must run inside the closing's transaction.
     */
    Mono<Void> lease(String tenantId, BillingMonth month);

    /** Writes a closed statement; fails on a duplicate key if the month was closed already. */
    Mono<Void> save(String tenantId, Statement statement, String closedBy, String client);
}
