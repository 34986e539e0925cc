package jp.otpgateway.gateway.onboarding.application;

import java.util.Arrays;
import java.util.Optional;
import jp.otpgateway.gateway.onboarding.application.port.PskcKeys;
import jp.otpgateway.gateway.onboarding.domain.PskcDelivery;
import jp.otpgateway.gateway.onboarding.domain.PskcDocument;
import jp.otpgateway.gateway.shared.domain.Outcome;
import jp.otpgateway.gateway.shared.domain.Refusal;
import jp.otpgateway.gateway.custody.application.port.SeedVault;
import jp.otpgateway.gateway.lifecycle.application.port.Tokens;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jp.otpgateway.gateway.onboarding.domain.ImportLineError;
import jp.otpgateway.gateway.onboarding.domain.DeliveredToken;
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
 * Use case: the operator loads a hardware-token delivery file (POST …/operator/hardware-tokens), as
 * CSV or as a vendor's PSKC file. The CSV file is streamed line by line; either is written in
 * chunks of {@value #CHUNK} rows, one statement each, all in one transaction: a store failure
 * leaves nothing half-imported, and a repeated import only skips what is already there.
 */
@Service
public class ImportingHardwareTokens {

    private static final Logger log = LoggerFactory.getLogger(ImportingHardwareTokens.class);
    static final int CHUNK = 1_000;

    private final Tokens tokens;
    private final PskcKeys pskcKeys;
    private final SeedVault vault;
    private final TableStatistics statistics;
    private final TransactionalOperator transaction;
    private final Clock clock;

    public ImportingHardwareTokens(Tokens tokens, PskcKeys pskcKeys, SeedVault vault, TableStatistics statistics,
                                   TransactionalOperator transaction, Clock clock) {
        this.tokens = tokens;
        this.pskcKeys = pskcKeys;
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
            Progress progress = new Progress(true);
            return store(tenant, records.<ImportedToken>handle((record, sink) -> progress.read(record, tenant, now)
                    .ifPresent(sink::next)), progress, now);
        });
    }

    /** How the operator unlocks a PSKC file: its password, or the name of a stored transport key. */
    public record PskcCredentials(Optional<String> keyName, Optional<char[]> password) {
    }

    /**
     * A vendor's PSKC file (RFC 6030), already read from its XML: the transport key is found (a
     * stored pre-shared key, or derived from the password), the file decoded as one unit
     * ({@link PskcDelivery}: a MAC that does not check or a wrong key refuses it whole), and each
     * KeyPackage imported or reported like a line of the CSV file.
     */
    public Mono<Outcome<Report>> importPskc(TenantConfig tenant, PskcDocument document, PskcCredentials credentials) {
        return transportKey(tenant, document.protection(), credentials)
                .publishOn(Schedulers.boundedElastic())
                .flatMap(key -> {
                    if (key.isEmpty()) {
                        return Mono.just(Outcome.<Report>refused(
                                document.protection() instanceof PskcDocument.Protection.Password
                                        ? pskcInvalid("the file's PBKDF2 parameters are not usable (PRF, key length, "
                                                + "iterations or salt)", "file",
                                        "ファイルの鍵導出（PBKDF2）のパラメータが不正または未対応です。トークン業者にご確認ください。")
                                        : pskcInvalid("no transport key of that name is stored for the tenant", "PSKC-Key",
                                        "転送鍵が見つかりません。PSKC-Key に登録済みの転送鍵の名前を指定してください。")));
                    }
                    Instant now = clock.instant();
                    PskcDelivery.Result result = PskcDelivery.decode(document, key.get(),
                            tenant.tokens().hardware().pskcPlainValues(), now, DeliveredToken.Defaults.of(tenant));
                    Arrays.fill(key.get(), (byte) 0);
                    if (result instanceof PskcDelivery.Result.Refused refused) {
                        log.info("PSKC file refused for {}: {}", tenant.id(), refused.detail());
                        return Mono.just(Outcome.<Report>refused(pskcInvalid(refused.detail(), "file", refused.message())));
                    }
                    Progress progress = new Progress(false);
                    Flux<ImportedToken> tokens = Flux.fromIterable(((PskcDelivery.Result.Rows) result).rows())
                            .handle((row, sink) -> progress.accept(row).ifPresent(sink::next));
                    return store(tenant, tokens, progress, now).map(Outcome::done);
                });
    }

    /**
     * The key that opens the file (no bytes for a file without EncryptionKey, whose seeds are in
     * clear); empty when the named key is not stored or the file's PBKDF2 parameters are not usable.
     */
    private Mono<Optional<byte[]>> transportKey(TenantConfig tenant, PskcDocument.Protection protection,
                                                PskcCredentials credentials) {
        if (protection instanceof PskcDocument.Protection.PreSharedKey psk) {
            String name = credentials.keyName().orElseThrow(() -> missing("PSKC-Key",
                    "転送鍵で暗号化されたファイルです。PSKC-Key ヘッダーに登録済みの転送鍵の名前を指定してください。"));
            return pskcKeys.find(tenant.id(), name)
                    .map(sealed -> Optional.of(vault.open(tenant.id(), SeedVault.PSKC_KEY_SUBJECT + name, sealed)))
                    .defaultIfEmpty(Optional.empty());
        }
        if (protection instanceof PskcDocument.Protection.Password password) {
            char[] text = credentials.password().orElseThrow(() -> missing("PSKC-Password",
                    "パスワードで暗号化されたファイルです。PSKC-Password ヘッダーにパスワードを指定してください。"));
            // PBKDF2 is deliberate work (100,000 rounds and more): never on the event loop.
            return Mono.fromCallable(() -> PskcDelivery.derive(password, text)).subscribeOn(Schedulers.boundedElastic());
        }
        return Mono.just(Optional.of(new byte[0]));
    }


    private static Refusal pskcInvalid(String detail, String field, String message) {
        return new Refusal(Refusal.Reason.PSKC_INVALID, detail, Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(new FieldViolation(field, FieldViolation.INVALID_VALUE, message)));
    }

    private static InvalidInput missing(String header, String message) {
        return new InvalidInput(List.of(new FieldViolation(header, FieldViolation.REQUIRED, message)));
    }

    /** Writes the valid tokens in chunks, one statement each, all in one transaction. */
    private Mono<Report> store(TenantConfig tenant, Flux<ImportedToken> valid, Progress progress, Instant now) {
        return valid
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
    }

    private List<Tokens.NewToken> seal(String tenantId, List<ImportedToken> chunk) {
        List<Tokens.NewToken> sealed = new ArrayList<>(chunk.size());
        for (ImportedToken t : chunk) {
            sealed.add(new Tokens.NewToken(t.serial(), vault.seal(tenantId, t.serial(), t.seed()), t.algorithm(),
                    t.digits(), t.periodSeconds(), t.expiresAt()));
        }
        return sealed;
    }

    /** State of one import; lines (or KeyPackages) arrive one at a time, in order. */
    private static final class Progress {
        private final boolean csvFile;
        private TokenCsv csv;
        private final Set<String> seen = new HashSet<>();
        private final List<ImportLineError> errors = new ArrayList<>();
        private long imported;
        private long skipped;

        Progress(boolean csvFile) {
            this.csvFile = csvFile;
        }

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
            return accept(csv.row(record.line(), record.fields(), now, DeliveredToken.Defaults.of(tenant)));
        }

        /** A judged token: reported when invalid, skipped when its serial came before in the file. */
        Optional<ImportedToken> accept(DeliveredToken.Row row) {
            if (row instanceof DeliveredToken.Row.Invalid invalid) {
                errors.add(invalid.error());
                return Optional.empty();
            }
            ImportedToken token = ((DeliveredToken.Row.Valid) row).token();
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
            if (csvFile && csv == null) {
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
