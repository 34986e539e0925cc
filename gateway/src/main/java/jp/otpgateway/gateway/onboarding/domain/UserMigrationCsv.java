package jp.otpgateway.gateway.onboarding.domain;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import jp.otpgateway.gateway.verification.domain.OtpInput;
import jp.otpgateway.gateway.user.domain.RegisterUserCommand;
import jp.otpgateway.gateway.shared.domain.FieldViolation;
import jp.otpgateway.gateway.shared.domain.InvalidInput;

/**
 * The migration file of a credit union moving to the gateway with users who already use hardware
 * tokens: {@code login_id,contract_id,name,role,serial[,email]}, one user per line (values without
 * commas). Each row is read on its own; a bad row is reported with its line and never stops the rest.
 */
public final class UserMigrationCsv {

    static final List<String> REQUIRED = List.of("login_id", "contract_id", "name", "role", "serial");
    static final List<String> KNOWN = List.of("login_id", "contract_id", "name", "role", "serial", "email");

    /** A user with the token they already use on the old platform. */
    public record MigratedUser(long line, RegisterUserCommand user, String serial) {
    }

    public sealed interface Row {
        record Valid(MigratedUser user) implements Row {
        }

        record Invalid(ImportLineError error) implements Row {
        }
    }

    private final Map<String, Integer> columns;

    private UserMigrationCsv(Map<String, Integer> columns) {
        this.columns = columns;
    }

    public static UserMigrationCsv header(List<String> names) {
        return new UserMigrationCsv(TokenCsv.columns(names, KNOWN, REQUIRED, ""));
    }

    public Row row(String tenantId, long lineNumber, List<String> fields) {
        if (fields.size() != columns.size()) {
            return invalid(lineNumber, "COLUMN_COUNT", "列の数が見出し行と一致しません（" + fields.size() + "列）。");
        }
        Optional<String> serial = OtpInput.digits(value(fields, "serial"), false, 8, 12);
        if (serial.isEmpty()) {
            return invalid(lineNumber, "INVALID_SERIAL", "シリアル番号は半角数字8〜12桁で指定してください。");
        }
        String email = columns.containsKey("email") ? value(fields, "email") : "";
        try {
            RegisterUserCommand user = RegisterUserCommand.of(tenantId, value(fields, "login_id"),
                    value(fields, "contract_id"), value(fields, "name"), value(fields, "role"),
                    email.isEmpty() ? null : email);
            return new Row.Valid(new MigratedUser(lineNumber, user, serial.get()));
        } catch (InvalidInput e) {
            FieldViolation first = e.violations().get(0);
            return invalid(lineNumber, "INVALID_" + first.field().toUpperCase(Locale.ROOT), first.message());
        }
    }

    /** The name as written (full-width and half-width kana kept); identifiers without surrounding blanks. */
    private String value(List<String> fields, String column) {
        String value = fields.get(columns.get(column));
        return column.equals("name") ? value : value.strip();
    }

    private static Row invalid(long line, String code, String message) {
        return new Row.Invalid(new ImportLineError(line, code, message));
    }
}
