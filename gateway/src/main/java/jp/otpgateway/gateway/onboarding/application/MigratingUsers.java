package jp.otpgateway.gateway.onboarding.application;

import java.util.Comparator;
import jp.otpgateway.gateway.onboarding.application.port.UserMigrations;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jp.otpgateway.gateway.onboarding.domain.ImportLineError;
import jp.otpgateway.gateway.onboarding.domain.UserMigrationCsv;
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

/**
 * Use case: a credit union moves to the gateway with users who already use hardware tokens on its
 * old platform (POST …/operator/migrations). The tokens are imported first (delivery file); this
 * file then registers each user with the token they hold, ACTIVE at once, judged by the rules of an
 * activation except the code (the old platform proved possession): the token exists, is neither
 * retired nor expired, belongs to no other contract, is shared only where the tenant allows it.
 * Chunks of {@value #CHUNK} lines, one statement each, all in one transaction.
 */
@Service
public class MigratingUsers {

    private static final Logger log = LoggerFactory.getLogger(MigratingUsers.class);
    static final int CHUNK = 1_000;

    static final Map<String, String> MESSAGES = Map.of(
            "TOKEN_NOT_FOUND", "このシリアル番号のトークンは登録されていません。先にトークンを登録してください。",
            "KIND_MISMATCH", "ソフトウェアトークンは移行できません。",
            "TOKEN_RETIRED", "このトークンは利用解除されているため使用できません。",
            "TOKEN_EXPIRED", "このトークンは有効期限が切れています。",
            "CONTRACT_CHANGE_REFUSED", "この利用者は別の契約者で登録されています。",
            "ALREADY_ACTIVE", "この利用者はすでに別のトークンを利用中です。",
            "TOKEN_OTHER_CONTRACT", "このトークンは他の契約者の利用者が使用しています。",
            "TOKEN_IN_USE", "この信用組合ではトークンの共有ができません。",
            "DUPLICATE_LOGIN", "同じログインIDがファイル内に複数あります。");

    private final UserMigrations migrations;
    private final TableStatistics statistics;
    private final TransactionalOperator transaction;
    private final Clock clock;

    public MigratingUsers(UserMigrations migrations, TableStatistics statistics, TransactionalOperator transaction,
                          Clock clock) {
        this.migrations = migrations;
        this.statistics = statistics;
        this.transaction = transaction;
        this.clock = clock;
    }

    public record Report(long imported, long skipped, List<ImportLineError> errors) {
    }

    public Mono<Report> importCsv(TenantConfig tenant, Flux<CsvRecord> records, String client) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            Progress progress = new Progress(tenant.id());
            return records
                    .<UserMigrationCsv.MigratedUser>handle((record, sink) -> progress.read(record).ifPresent(sink::next))
                    .buffer(CHUNK)
                    .concatMap(chunk -> migrations.importChunk(tenant.id(), chunk, tenant.tokens().hardware().sharing(),
                                    client, now)
                            .collectList()
                            .doOnNext(outcomes -> progress.stored(chunk.size(), outcomes)))
                    .then(Mono.fromSupplier(progress::report))
                    .as(transaction::transactional)
                    .flatMap(report -> FreshStatistics.after(statistics, report))
                    .doOnNext(r -> log.info("users migrated for {}: imported={} skipped={} errors={}", tenant.id(),
                            r.imported(), r.skipped(), r.errors().size()));
        });
    }

    private static final class Progress {
        private final String tenantId;
        private UserMigrationCsv csv;
        private final Set<String> logins = new HashSet<>();
        private final List<ImportLineError> errors = new ArrayList<>();
        private long imported;
        private long skipped;

        Progress(String tenantId) {
            this.tenantId = tenantId;
        }

        Optional<UserMigrationCsv.MigratedUser> read(CsvRecord record) {
            if (record.blank()) {
                return Optional.empty();
            }
            if (csv == null) {
                try {
                    csv = UserMigrationCsv.header(record.fields());
                } catch (IllegalArgumentException e) {
                    throw header(e.getMessage());
                }
                return Optional.empty();
            }
            UserMigrationCsv.Row row = csv.row(tenantId, record.line(), record.fields());
            if (row instanceof UserMigrationCsv.Row.Invalid invalid) {
                errors.add(invalid.error());
                return Optional.empty();
            }
            UserMigrationCsv.MigratedUser user = ((UserMigrationCsv.Row.Valid) row).user();
            if (!logins.add(user.user().loginId())) {
                errors.add(new ImportLineError(record.line(), "DUPLICATE_LOGIN", MESSAGES.get("DUPLICATE_LOGIN")));
                return Optional.empty();
            }
            return Optional.of(user);
        }

        void stored(int offered, List<UserMigrations.Outcome> outcomes) {
            long notImported = 0;
            for (UserMigrations.Outcome o : outcomes) {
                notImported++;
                if ("SKIPPED".equals(o.code())) {
                    skipped++;
                } else {
                    errors.add(new ImportLineError(o.line(), o.code(), MESSAGES.getOrDefault(o.code(), o.code())));
                }
            }
            imported += offered - notImported;
        }

        Report report() {
            if (csv == null) {
                throw header("the file is empty");
            }
            errors.sort(Comparator.comparingLong(ImportLineError::line));
            return new Report(imported, skipped, errors);
        }

        private static InvalidInput header(String detail) {
            return new InvalidInput(List.of(new FieldViolation("header", FieldViolation.INVALID_FORMAT,
                    "CSVの見出し行が正しくありません（login_id,contract_id,name,role,serial[,email]）: " + detail)));
        }
    }
}
