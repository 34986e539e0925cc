package jp.otpgateway.gateway.onboarding.application;

import java.util.Optional;
import jp.otpgateway.gateway.custody.application.port.SeedVault;
import jp.otpgateway.gateway.lifecycle.application.port.Tokens;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jp.otpgateway.gateway.onboarding.domain.ImportLineError;
import jp.otpgateway.gateway.onboarding.domain.ImportedToken;
import jp.otpgateway.gateway.onboarding.domain.TokenCsv;
import jp.otpgateway.gateway.shared.domain.FieldViolation;
import jp.otpgateway.gateway.shared.domain.InvalidInput;
import jp.otpgateway.tenant.model.TenantConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import jp.otpgateway.gateway.onboarding.application.port.TableStatistics;
import jp.otpgateway.gateway.shared.domain.CsvRecord;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Use case: the operator loads a hardware-token delivery file (POST …/operator/hardware-tokens).
 * The file is streamed line by line and written in chunks of {@value #CHUNK} rows, one statement
 * each, all in one transaction: a store failure leaves nothing half-imported, and a repeated
 * import only skips what is already there.
 */
@Service
public class ImportingHardwareTokens {

    private static final Logger log = LoggerFactory.getLogger(ImportingHardwareTokens.class);
    static final int CHUNK = 1_000;

    private final Tokens tokens;
    private final SeedVault vault;
    private final TableStatistics statistics;
    private final TransactionalOperator transaction;
    private final Clock clock;

    public ImportingHardwareTokens(Tokens tokens, SeedVault vault, TableStatistics statistics,
                                   TransactionalOperator transaction, Clock clock) {
        this.tokens = tokens;
        this.vault = vault;
        this.statistics = statistics;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** What happened to each line: imported, skipped as already known, or refused with its line. */
    public record Report(long imported, long skipped, List<ImportLineError> errors) {
    }

    public Mono<Report> importCsv(TenantConfig tenant, Flux<CsvRecord> records) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            Progress progress = new Progress();
            return records
                    .<ImportedToken>handle((record, sink) -> progress.read(record, tenant, now)
                            .ifPresent(sink::next))
                    .buffer(CHUNK)
                    // Sealing draws nonces from SecureRandom: off the event loop.
                    .publishOn(Schedulers.boundedElastic())
                    .concatMap(chunk -> tokens.insertNewHardware(tenant.id(), seal(tenant.id(), chunk), now)
                            .doOnNext(inserted -> progress.stored(chunk.size(), inserted)))
                    .then(Mono.fromSupplier(progress::report))
                    .as(transaction::transactional)
                    .flatMap(report -> FreshStatistics.after(statistics, report))
                    .doOnNext(r -> log.info("hardware tokens imported for {}: imported={} skipped={} errors={}",
                            tenant.id(), r.imported(), r.skipped(), r.errors().size()));
        });
    }

    private List<Tokens.NewToken> seal(String tenantId, List<ImportedToken> chunk) {
        List<Tokens.NewToken> sealed = new ArrayList<>(chunk.size());
        for (ImportedToken t : chunk) {
            sealed.add(new Tokens.NewToken(t.serial(), vault.seal(tenantId, t.serial(), t.seed()), t.algorithm(),
                    t.digits(), t.periodSeconds(), t.expiresAt()));
        }
        return sealed;
    }

    /** State of one import; lines arrive one at a time, in order. */
    private static final class Progress {
        private TokenCsv csv;
        private final Set<String> seen = new HashSet<>();
        private final List<ImportLineError> errors = new ArrayList<>();
        private long imported;
        private long skipped;

        Optional<ImportedToken> read(CsvRecord record, TenantConfig tenant, Instant now) {
            if (record.blank()) {
                return Optional.empty();
            }
            if (csv == null) {
                try {
                    csv = TokenCsv.header(record.fields());
                } catch (IllegalArgumentException e) {
                    throw header(e.getMessage());
                }
                return Optional.empty();
            }
            TokenCsv.Row row = csv.row(record.line(), record.fields(), now, TokenCsv.Defaults.of(tenant));
            if (row instanceof TokenCsv.Row.Invalid invalid) {
                errors.add(invalid.error());
                return Optional.empty();
            }
            ImportedToken token = ((TokenCsv.Row.Valid) row).token();
            if (!seen.add(token.serial())) {
                skipped++;
                return Optional.empty();
            }
            return Optional.of(token);
        }

        void stored(int offered, long inserted) {
            imported += inserted;
            skipped += offered - inserted;
        }

        Report report() {
            if (csv == null) {
                throw header("the file is empty");
            }
            return new Report(imported, skipped, errors);
        }

        private static InvalidInput header(String detail) {
            return new InvalidInput(List.of(new FieldViolation("header", FieldViolation.INVALID_FORMAT,
                    "CSVの見出し行が正しくありません（serial,seed_hex,expires_at[,algorithm,digits,period]）: " + detail)));
        }
    }
}
