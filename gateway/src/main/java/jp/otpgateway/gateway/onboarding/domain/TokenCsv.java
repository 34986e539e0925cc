package jp.otpgateway.gateway.onboarding.domain;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import jp.otpgateway.tenant.model.HashAlgorithm;

/**
 * The hardware-token delivery file (docs/api.md, CSV import): header {@code serial,seed_hex,expires_at}
 * and optional {@code algorithm}, {@code digits} and {@code period}, which default to the tenant's
 * {@code otp.*} (SHA1, 8, 60 s unless the tenant says otherwise), in any order, as records of a real CSV parser (quoted fields, CRLF, a byte-order mark are
 * the reader's business: CsvUploads). An empty {@code expires_at} takes the tenant's hardware validity from the
 * import time. Each row is judged on its own: a bad row is reported with its line and never
 * stops the others. Error texts never contain the seed.
 */
public final class TokenCsv {

    public static final Pattern SERIAL = Pattern.compile("[0-9]{8,12}");
    static final Pattern HEX = Pattern.compile("([0-9a-fA-F]{2})+");
    /** RFC 4226 §4 R6: at least 128 bits; 512 bits covers SHA-512 block-sized keys. */
    static final int MIN_SEED_BYTES = 16;
    static final int MAX_SEED_BYTES = 64;

    static final List<String> REQUIRED = List.of("serial", "seed_hex");
    static final List<String> KNOWN = List.of("serial", "seed_hex", "expires_at", "algorithm", "digits", "period");

    private final Map<String, Integer> columns;

    private TokenCsv(Map<String, Integer> columns) {
        this.columns = columns;
    }

    /** Reads the header record; a header that is not the documented one rejects the whole file. */
    public static TokenCsv header(List<String> names) {
        return new TokenCsv(columns(names, KNOWN, REQUIRED, "; header must start like serial,seed_hex,expires_at"));
    }

    /** The column positions of a header with these known and required columns, or why not. */
    static Map<String, Integer> columns(List<String> header, List<String> known, List<String> required, String hint) {
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String written = header.get(i).strip();
            String name = written.toLowerCase(Locale.ROOT);
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown column '" + written + "'; expected " + String.join(",", known));
            }
            if (columns.putIfAbsent(name, i) != null) {
                throw new IllegalArgumentException("column '" + name + "' appears twice");
            }
        }
        for (String column : required) {
            if (!columns.containsKey(column)) {
                throw new IllegalArgumentException("missing column '" + column + "'" + hint);
            }
        }
        return columns;
    }

    /** Result of one row: a token, or why not. */
    public sealed interface Row {
        record Valid(ImportedToken token) implements Row {
        }

        record Invalid(ImportLineError error) implements Row {
        }
    }

    /** What a row without {@code expires_at}, {@code algorithm}, {@code digits} or {@code period} takes. */
    public record Defaults(Period validity, ZoneId zone, HashAlgorithm algorithm, int digits, int periodSeconds) {

        public static Defaults of(jp.otpgateway.tenant.model.TenantConfig tenant) {
            return new Defaults(tenant.tokens().hardware().validity(), tenant.timeZone(), tenant.otp().algorithm(),
                    tenant.otp().digits(), (int) tenant.otp().period().toSeconds());
        }
    }

    public Row row(long lineNumber, List<String> fields, Instant now, Defaults defaults) {
        Period defaultValidity = defaults.validity();
        ZoneId zone = defaults.zone();
        if (fields.size() != columns.size()) {
            return invalid(lineNumber, "COLUMN_COUNT", columns.size() + "項目が必要ですが" + fields.size() + "項目です。");
        }
        String serial = field(fields, "serial").orElse("");
        if (!SERIAL.matcher(serial).matches()) {
            return invalid(lineNumber, "INVALID_SERIAL", "シリアル番号は8～12桁の半角数字で指定してください。");
        }
        String hex = field(fields, "seed_hex").orElse("");
        if (!HEX.matcher(hex).matches() || hex.length() / 2 < MIN_SEED_BYTES || hex.length() / 2 > MAX_SEED_BYTES) {
            return invalid(lineNumber, "INVALID_SEED",
                    "シードは" + MIN_SEED_BYTES + "～" + MAX_SEED_BYTES + "バイトの16進数で指定してください。");
        }
        Optional<HashAlgorithm> algorithm = field(fields, "algorithm").map(TokenCsv::algorithm).orElse(Optional.of(defaults.algorithm()));
        if (algorithm.isEmpty()) {
            return invalid(lineNumber, "INVALID_ALGORITHM", "algorithm は SHA1、SHA256、SHA512 のいずれかです。");
        }
        int digits = field(fields, "digits").map(TokenCsv::number).orElse(defaults.digits());
        if (digits != 6 && digits != 8) {
            return invalid(lineNumber, "INVALID_DIGITS", "digits は 6 または 8 です。");
        }
        int period = field(fields, "period").map(TokenCsv::number).orElse(defaults.periodSeconds());
        if (period < 15 || period > 300) {
            return invalid(lineNumber, "INVALID_PERIOD", "period は15～300秒で指定してください。");
        }
        Optional<String> expiresText = field(fields, "expires_at");
        Instant expiresAt;
        if (expiresText.isEmpty()) {
            expiresAt = now.atZone(zone).plus(defaultValidity).toInstant();
        } else {
            try {
                expiresAt = OffsetDateTime.parse(expiresText.get()).toInstant();
            } catch (DateTimeParseException e) {
                return invalid(lineNumber, "INVALID_EXPIRY",
                        "有効期限はオフセット付きのISO-8601形式で指定してください（例: 2031-03-31T23:59:59+09:00）。");
            }
            if (!expiresAt.isAfter(now)) {
                return invalid(lineNumber, "EXPIRED", "有効期限が過ぎたトークンは登録できません。");
            }
        }
        byte[] seed = HexFormat.of().parseHex(hex);
        return new Row.Valid(new ImportedToken(serial, seed, algorithm.get(), digits, period, expiresAt));
    }

    /** A technical field (serial, hex, a number, a time), surrounding blanks removed; empty when blank. */
    private Optional<String> field(List<String> fields, String name) {
        Integer index = columns.get(name);
        if (index == null) {
            return Optional.empty();
        }
        String value = fields.get(index).strip();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static Row invalid(long line, String code, String message) {
        return new Row.Invalid(new ImportLineError(line, code, message));
    }

    private static Optional<HashAlgorithm> algorithm(String text) {
        for (HashAlgorithm a : HashAlgorithm.values()) {
            if (a.name().equalsIgnoreCase(text)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    private static int number(String text) {
        return text.matches("[0-9]{1,4}") ? Integer.parseInt(text) : -1;
    }
}
