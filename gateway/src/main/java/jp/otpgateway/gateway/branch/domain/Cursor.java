package jp.otpgateway.gateway.branch.domain;

import java.util.Optional;
import java.util.regex.Pattern;
import jp.otpgateway.gateway.shared.domain.Keyset;
import jp.otpgateway.gateway.shared.domain.Validation;

/** The position in a token list paged by serial ({@link Keyset}): the last serial of the previous page. */
public record Cursor(String afterSerial) {

    private static final Pattern SERIAL = Pattern.compile("[0-9]{8,12}");
    private static final String PREFIX = "s:";

    public Cursor {
        if (!SERIAL.matcher(afterSerial).matches()) {
            throw new IllegalArgumentException("a cursor holds a serial");
        }
    }

    public String encoded() {
        return Keyset.encode(PREFIX, afterSerial);
    }

    /** The cursor a client gave, or a violation on {@code cursor}. */
    public static Optional<Cursor> read(Validation v, String text) {
        return Keyset.after(v, PREFIX, text, SERIAL).map(Cursor::new);
    }
}
