package jp.otpgateway.gateway.audit.application;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import jp.otpgateway.gateway.audit.application.port.AuditTrail;
import jp.otpgateway.gateway.audit.domain.AuditChain;
import jp.otpgateway.gateway.audit.domain.AuditRow;
import jp.otpgateway.gateway.audit.domain.Seal;
import jp.otpgateway.gateway.audit.application.port.AuditMacs;
import jp.otpgateway.gateway.tenant.application.TenantRegistry;
import jp.otpgateway.tenant.model.TenantConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Use cases: seal a tenant's new audit events into chained blocks (a job, off the hot path: the
 * events are written as before and sealed later), walk the chain to prove it intact, and purge
 * whole sealed blocks past the tenant's retention period without breaking the chain.
 */
@Service
public class SealingAudit {

    private static final Logger log = LoggerFactory.getLogger(SealingAudit.class);

    /** Rows per block: a verification reads one block at a time. */
    static final int BLOCK_ROWS = 10_000;

    private final AuditTrail trail;
    private final AuditMacs macs;
    private final TenantRegistry tenants;
    private final TransactionalOperator transaction;
    private final Clock clock;

    public SealingAudit(AuditTrail trail, AuditMacs macs, TenantRegistry tenants, TransactionalOperator transaction,
                        Clock clock) {
        this.trail = trail;
        this.macs = macs;
        this.tenants = tenants;
        this.transaction = transaction;
        this.clock = clock;
    }

    /**
     * Seals the tenant's events written at least {@code lag} ago (so that no open transaction can still
     * commit one below them) into as many blocks as they fill; answers the blocks sealed. Each block
     * is one transaction under the tenant's lease, so instances never seal the same rows twice.
     */
    public Mono<Long> seal(String tenantId, Duration lag) {
        return sealOne(tenantId, lag).expand(sealed -> sealed ? sealOne(tenantId, lag) : Mono.empty())
                .filter(Boolean::booleanValue).count();
    }

    public Mono<Long> sealAll(Duration lag) {
        return Flux.fromIterable(tenants.snapshot().tenants().keySet()).concatMap(t -> seal(t, lag)).reduce(0L, Long::sum);
    }

    private Mono<Boolean> sealOne(String tenantId, Duration lag) {
        return trail.lease(tenantId)
                .then(trail.lastSeal(tenantId).map(Optional::of).defaultIfEmpty(Optional.empty()))
                .flatMap(last -> {
                    long after = last.map(Seal::lastEventId).orElse(0L);
                    return trail.watermark(tenantId, after, lag).flatMap(upTo -> upTo <= after ? Mono.just(false)
                            : trail.rows(tenantId, after, upTo, BLOCK_ROWS).collectList()
                                    .flatMap(rows -> rows.isEmpty() ? Mono.just(false)
                                            : trail.saveSeal(block(tenantId, last, rows)).thenReturn(true)));
                })
                .as(transaction::transactional);
    }

    private Seal block(String tenantId, Optional<Seal> previous, List<AuditRow> rows) {
        long no = previous.map(p -> p.blockNo() + 1).orElse(1L);
        long first = rows.get(0).id();
        long last = rows.get(rows.size() - 1).id();
        Instant lastAt = rows.stream().map(AuditRow::at).max(Instant::compareTo).orElseThrow();
        byte[] digest = AuditChain.digest(rows, AuditChain.CURRENT_FORMAT);
        byte[] mac = macs.mac(AuditChain.macInput(tenantId, no, first, last, rows.size(), lastAt, digest,
                previous.map(Seal::mac).orElse(new byte[0])));
        // The block's number and MAC in the log: an anchor outside the database (a cut-off tail of
        // blocks shows against it).
        log.info("audit block sealed: tenant={} block={} events={}..{} rows={} mac={}", tenantId, no, first, last,
                rows.size(), java.util.HexFormat.of().formatHex(mac));
        return new Seal(tenantId, no, first, last, rows.size(), lastAt, digest, mac, clock.instant(), Optional.empty(),
                AuditChain.CURRENT_FORMAT);
    }

    /**
     * Walks the tenant's whole chain: every seal's number, range and MAC, and the rows of every block
     * not purged (blocks ending before {@code from} or starting after {@code to} are checked as links
     * only). Stops at the first block that does not check.
     */
    public Mono<AuditChain.Verdict> verify(TenantConfig tenant, Optional<Instant> from, Optional<Instant> to) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            AtomicReference<Optional<Seal>> previous = new AtomicReference<>(Optional.empty());
            long[] checked = new long[2]; // rows, blocks
            return trail.seals(tenant.id())
                    .concatMap(seal -> {
                        Optional<Seal> prev = previous.get();
                        Optional<String> link = AuditChain.checkLink(seal, prev, macs::verify);
                        if (link.isPresent()) {
                            return Mono.just(AuditChain.Verdict.broken(checked[0], checked[1], seal.blockNo(), link.get()));
                        }
                        previous.set(Optional.of(seal));
                        boolean inRange = from.map(f -> !seal.lastAt().isBefore(f)).orElse(true)
                                && to.map(t -> prev.map(p -> !p.lastAt().isAfter(t)).orElse(true)).orElse(true);
                        if (!inRange && seal.purgedAt().isEmpty()) {
                            checked[1]++;
                            return Mono.<AuditChain.Verdict>empty();
                        }
                        // Block 1 owns every row up to its last: also a forged one below the first real ID
                        // (IDs start at 1, so one at 0 or below can only have been written by hand).
                        long after = prev.map(Seal::lastEventId).orElse(Long.MIN_VALUE);
                        return trail.rows(tenant.id(), after, seal.lastEventId(), Integer.MAX_VALUE).collectList()
                                .flatMap(found -> {
                                    Optional<String> bad = AuditChain.checkRows(seal, found, tenant.audit().retention(), now);
                                    if (bad.isPresent()) {
                                        return Mono.just(AuditChain.Verdict.broken(checked[0], checked[1], seal.blockNo(),
                                                bad.get()));
                                    }
                                    checked[0] += found.size();
                                    checked[1]++;
                                    return Mono.<AuditChain.Verdict>empty();
                                });
                    })
                    .next()
                    .switchIfEmpty(Mono.defer(() -> trail.countAfter(tenant.id(),
                                    previous.get().map(Seal::lastEventId).orElse(0L))
                            .map(unsealed -> AuditChain.Verdict.intact(checked[0], checked[1], unsealed))));
        });
    }

    /** Removes the sealed blocks whose latest event is older than the tenant's retention; answers the rows removed. */
    public Mono<Long> purge(TenantConfig tenant) {
        Instant now = clock.instant();
        return trail.seals(tenant.id())
                .filter(s -> s.purgedAt().isEmpty() && AuditChain.pastRetention(s, tenant.audit().retention(), now))
                .concatMap(s -> trail.lease(tenant.id()).then(trail.purge(s, now)).as(transaction::transactional))
                .reduce(0L, Long::sum);
    }

    public Mono<Long> purgeAll() {
        return Flux.fromIterable(tenants.snapshot().tenants().values()).concatMap(this::purge).reduce(0L, Long::sum);
    }
}
