package jp.otpgateway.gateway.audit.adapter.persistence;

import jp.otpgateway.gateway.shared.adapter.persistence.Rows;

import java.util.List;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.audit.application.port.AuditLog;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
public class R2dbcAuditLog implements AuditLog {

    private static final String APPEND = """
            INSERT INTO audit_events (tenant_id, occurred_at, login_id, serial, operation, outcome, client, actor,
                                      staff_id, contract_id, subject)
            SELECT :tenant, e.at::timestamptz, e.login, e.serial, e.operation, e.outcome, e.client, e.actor, e.staff,
                   e.contract, e.subject
              FROM unnest(CAST(:at AS text[]), CAST(:logins AS text[]), CAST(:serials AS text[]),
                          CAST(:operations AS text[]), CAST(:outcomes AS text[]), CAST(:clients AS text[]),
                          CAST(:actors AS text[]), CAST(:staff AS text[]), CAST(:contracts AS text[]),
                          CAST(:subjects AS text[]))
                   AS e(at, login, serial, operation, outcome, client, actor, staff, contract, subject)
            """;

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcAuditLog(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    /** All events of one call in one statement; they belong to one tenant. */
    @Override
    public Mono<Void> append(List<Event> events) {
        if (events.isEmpty()) {
            return Mono.empty();
        }
        int n = events.size();
        String[] at = new String[n];
        String[] logins = new String[n];
        String[] serials = new String[n];
        String[] operations = new String[n];
        String[] outcomes = new String[n];
        String[] clients = new String[n];
        String[] actors = new String[n];
        String[] staff = new String[n];
        String[] contracts = new String[n];
        String[] subjects = new String[n];
        for (int i = 0; i < n; i++) {
            Event e = events.get(i);
            at[i] = Rows.time(e.at()).toString();
            logins[i] = e.loginId().orElse(null);
            serials[i] = e.serial().orElse(null);
            operations[i] = e.operation();
            outcomes[i] = e.outcome();
            clients[i] = e.client();
            actors[i] = e.actor().orElse(null);
            staff[i] = e.staffId().orElse(null);
            contracts[i] = e.contractId().orElse(null);
            subjects[i] = e.subject().orElse(null);
        }
        return stores.postgres(db.sql(APPEND).bind("tenant", events.get(0).tenantId()).bind("at", at)
                .bind("logins", logins).bind("serials", serials).bind("operations", operations)
                .bind("outcomes", outcomes).bind("clients", clients).bind("actors", actors).bind("staff", staff)
                .bind("contracts", contracts).bind("subjects", subjects).then());
    }
}
