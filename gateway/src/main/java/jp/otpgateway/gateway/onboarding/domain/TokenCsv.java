package jp.otpgateway.gateway.onboarding.domain;

import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import jp.otpgateway.gateway.onboarding.domain.DeliveredToken.Defaults;
import jp.otpgateway.gateway.onboarding.domain.DeliveredToken.Row;
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

    static final Pattern HEX = Pattern.compile("([0-9a-fA-F]{2})+");

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

    /** One record of the file, judged by the rules of every delivered token ({@link DeliveredToken#check}). */
    public Row row(long lineNumber, List<String> fields, Instant now, Defaults defaults) {
        if (fields.size() != columns.size()) {
            return DeliveredToken.invalid(lineNumber, "COLUMN_COUNT", columns.size() + "項目が必要ですが" + fields.size() + "項目です。");
        }
        String hex = field(fields, "seed_hex").orElse("");
        byte[] seed = HEX.matcher(hex).matches() ? HexFormat.of().parseHex(hex) : null;
        Optional<HashAlgorithm> algorithm = field(fields, "algorithm").map(DeliveredToken::algorithm)
                .orElse(Optional.of(defaults.algorithm()));
        DeliveredToken.Expiry expiry = field(fields, "expires_at").map(DeliveredToken.Expiry::parse)
                .orElse(new DeliveredToken.Expiry.Absent());
        return DeliveredToken.check(lineNumber, field(fields, "serial").orElse(""), seed, algorithm,
                field(fields, "digits").map(TokenCsv::number).orElse(defaults.digits()),
                field(fields, "period").map(TokenCsv::number).orElse(defaults.periodSeconds()), expiry, now, defaults);
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

    private static int number(String text) {
        return text.matches("[0-9]{1,4}") ? Integer.parseInt(text) : -1;
    }
}
