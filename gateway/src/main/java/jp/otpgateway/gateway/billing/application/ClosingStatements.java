package jp.otpgateway.gateway.billing.application;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jp.otpgateway.gateway.audit.application.port.AuditLog;
import jp.otpgateway.gateway.billing.application.port.BillingData;
import jp.otpgateway.gateway.billing.application.port.Statements;
import jp.otpgateway.gateway.billing.domain.BillingMonth;
import jp.otpgateway.gateway.billing.domain.ContractStatement;
import jp.otpgateway.gateway.billing.domain.FeeLine;
import jp.otpgateway.gateway.billing.domain.FeeRules;
import jp.otpgateway.gateway.billing.domain.Statement;
import jp.otpgateway.gateway.shared.domain.FieldViolation;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.gateway.tenant.application.TenantRegistry;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Use cases (R15): a month's statement, as a preview while the month is open and as closed once
 * after; the closing, by the monthly job on the tenant's billing day of the next month or earlier on
 * the operator's request. A closing holds the month's lease in its transaction: one instance closes,
 * another waits and finds it closed, a rerun changes nothing. What reaches a month after its closing
 * is billed as an adjustment line of the next month.
 */
@Service
public class ClosingStatements {

    /** Who closed: the monthly job, or a clerk by staff ID. */
    public static final String BY_JOB = "job";

    private final BillingData data;
    private final Statements statements;
    private final TenantRegistry tenants;
    private final AuditLog audit;
    private final TransactionalOperator transaction;
    private final Clock clock;
    private final MeterRegistry meters;

    public ClosingStatements(BillingData data, Statements statements, TenantRegistry tenants, AuditLog audit,
                             TransactionalOperator transaction, Clock clock, MeterRegistry meters) {
        this.data = data;
        this.statements = statements;
        this.tenants = tenants;
        this.audit = audit;
        this.transaction = transaction;
        this.clock = clock;
        this.meters = meters;
    }

    /** The closed statement, or else the preview of the open month as of now. */
    public Mono<Statement> statement(TenantConfig tenant, YearMonth month) {
        BillingMonth m = new BillingMonth(month, tenant.timeZone());
        return statements.closed(tenant.id(), m).switchIfEmpty(Mono.defer(() -> preview(tenant, m)));
    }

    /** Closes the month (once): {@code closedBy} is {@link #BY_JOB} or the clerk's staff ID. */
    public Mono<Outcome<Statement>> close(TenantConfig tenant, YearMonth month, String closedBy, String client) {
        BillingMonth m = new BillingMonth(month, tenant.timeZone());
        Instant now = clock.instant();
        if (!m.begunAt(now)) {
            return Mono.just(Outcome.refused(new Refusal(Refusal.Reason.VALIDATION_FAILED, "the month has not begun",
                    Optional.empty(), Optional.empty(), Optional.empty(), List.of(new FieldViolation("month",
                            FieldViolation.INVALID_VALUE, "まだ始まっていない月は締められません。")))));
        }
        Mono<Closing> closing = statements.lease(tenant.id(), m)
                .then(statements.closed(tenant.id(), m).map(existing -> new Closing(existing, false)))
                .switchIfEmpty(Mono.defer(() -> preview(tenant, m)
                        .map(open -> new Statement(m, Statement.Status.CLOSED, Optional.of(now), open.contracts()))
                        .flatMap(closed -> statements.save(tenant.id(), closed, closedBy, client)
                                .then(audit.append(List.of(closingEvent(tenant, closed, closedBy, client, now))))
                                .thenReturn(new Closing(closed, true)))))
                .as(transaction::transactional);
        return closing.doOnNext(c -> {
                    if (c.fresh()) {
                        count(tenant, c.statement());
                    }
                })
                .map(c -> Outcome.done(c.statement()));
    }

    /** The monthly job: every tenant's previous month, once its billing day has come; answers how many were closed. */
    public Mono<Long> closeDue() {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return Flux.fromIterable(tenants.snapshot().tenants().values())
                    .filter(tenant -> !now.isBefore(BillingMonth.of(now, tenant.timeZone()).previous()
                            .closingDue(tenant.fees().billingDay())))
                    .concatMap(tenant -> {
                        BillingMonth previous = BillingMonth.of(now, tenant.timeZone()).previous();
                        return statements.closed(tenant.id(), previous).hasElement()
                                .flatMap(done -> done ? Mono.just(0L)
                                        : close(tenant, previous.month(), BY_JOB, BY_JOB).thenReturn(1L));
                    })
                    .reduce(0L, Long::sum);
        });
    }

    private record Closing(Statement statement, boolean fresh) {
    }

    /** The month as of now, with the adjustments of the previous month if that one was closed. */
    private Mono<Statement> preview(TenantConfig tenant, BillingMonth m) {
        Mono<Map<String, List<FeeLine>>> adjustments = statements.closed(tenant.id(), m.previous())
                .flatMap(closed -> own(tenant, m.previous())
                        .map(now -> FeeRules.adjustments(m.previous(), billed(closed), now)))
                .defaultIfEmpty(Map.of());
        return Mono.zip(data.holds(tenant.id(), m.start(), m.end()).collectList(),
                        data.reissues(tenant.id(), m.start(), m.end()), adjustments)
                .map(in -> new Statement(m, Statement.Status.OPEN, Optional.empty(),
                        FeeRules.month(in.getT1(), in.getT2(), in.getT3(), m, tenant.fees())));
    }

    /** A month's own lines as of now (no adjustments): what it would bill if it were closed again. */
    private Mono<List<ContractStatement>> own(TenantConfig tenant, BillingMonth m) {
        return Mono.zip(data.holds(tenant.id(), m.start(), m.end()).collectList(),
                        data.reissues(tenant.id(), m.start(), m.end()))
                .map(in -> FeeRules.month(in.getT1(), in.getT2(), Map.of(), m, tenant.fees()));
    }

    private static Map<String, Long> billed(Statement closed) {
        Map<String, Long> out = new HashMap<>();
        closed.contracts().forEach(c -> out.put(c.contractId(), c.ownTotal()));
        return out;
    }

    private static AuditLog.Event closingEvent(TenantConfig tenant, Statement closed, String closedBy, String client,
                                               Instant now) {
        AuditLog.Event event = new AuditLog.Event(tenant.id(), now, Optional.empty(), Optional.empty(),
                "BILLING_CLOSING", "CLOSED_" + closed.month().month(), client, Optional.empty());
        return BY_JOB.equals(closedBy) ? event : event.byStaff(closedBy);
    }

    private void count(TenantConfig tenant, Statement closed) {
        meters.counter("otp.billing.statements.closed", "tenant", tenant.id()).increment();
        meters.counter("otp.billing.closed.amount", "tenant", tenant.id(), "month", closed.month().month().toString())
                .increment(closed.total());
    }
}
