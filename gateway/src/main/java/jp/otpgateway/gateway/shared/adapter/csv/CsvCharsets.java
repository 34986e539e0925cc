package jp.otpgateway.gateway.shared.adapter.csv;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import jp.otpgateway.gateway.shared.adapter.web.ApiException;
import jp.otpgateway.gateway.shared.adapter.web.ErrorCode;
import org.springframework.http.MediaType;

/**
 * The character sets of CSV files as Japanese back offices make them: UTF-8 (the default, with or
 * without a byte-order mark) and Windows-31J, which Excel and most core-banking exports write and
 * call "Shift_JIS". Shift_JIS is read as Windows-31J, so that ～, ①, 髙 and the NEC/IBM extensions
 * survive (strict Shift_JIS has no such characters, or maps them differently).
 */
public final class CsvCharsets {

    public static final Charset WINDOWS_31J = Charset.forName("windows-31j");
    private static final Set<String> WINDOWS_31J_NAMES =
            Set.of("windows-31j", "shift_jis", "shift-jis", "sjis", "x-sjis", "ms932", "cp932", "ms_kanji", "csshiftjis");
    private static final Set<String> UTF_8_NAMES = Set.of("utf-8", "utf8");
    private static final MediaType CSV = new MediaType("text", "csv");

    private CsvCharsets() {
    }

    /** The charset of the first {@code text/csv} the caller accepts; UTF-8 when it names none. */
    public static Charset accepted(List<MediaType> accept) {
        return accept.stream().filter(type -> type.isCompatibleWith(CSV) && !type.isWildcardSubtype()).findFirst()
                .map(CsvCharsets::of).orElse(StandardCharsets.UTF_8);
    }

    /** The charset a {@code text/csv} upload or an {@code Accept: text/csv} names; UTF-8 when it names none. */
    public static Charset of(MediaType type) {
        String name = type == null ? null : type.getParameter("charset");
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        String key = name.replace("\"", "").trim().toLowerCase(Locale.ROOT);
        if (UTF_8_NAMES.contains(key)) {
            return StandardCharsets.UTF_8;
        }
        if (WINDOWS_31J_NAMES.contains(key)) {
            return WINDOWS_31J;
        }
        throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "CSV charset " + name
                + " is not supported; use UTF-8 or Windows-31J (Shift_JIS)");
    }
}
