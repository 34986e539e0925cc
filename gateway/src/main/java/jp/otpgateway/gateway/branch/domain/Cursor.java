package jp.otpgateway.gateway.branch.domain;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The position in a list paged by serial (keyset): the last serial of the previous page. A row
 * inserted while a clerk pages appears on a later page or, when its serial sorts before the
 * position, not at all in this pass; no row is shown twice and none that existed is skipped.
 * Opaque to clients (base64url of "s:" + serial) so that its form may change.
 */
public record Cursor(String afterSerial) {

    private static final Pattern SERIAL = Pattern.compile("[0-9]{8,12}");
    private static final String PREFIX = "s:";

    public Cursor {
        if (!SERIAL.matcher(afterSerial).matches()) {
            throw new IllegalArgumentException("a cursor holds a serial");
        }
    }

    public String encoded() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + afterSerial).getBytes(StandardCharsets.US_ASCII));
    }

    /** Empty when {@code text} is not a cursor this gateway made. */
    public static Optional<Cursor> decode(String text) {
        if (text == null || text.length() > 40) {
            return Optional.empty();
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            if (plain.startsWith(PREFIX) && SERIAL.matcher(plain.substring(PREFIX.length())).matches()) {
                return Optional.of(new Cursor(plain.substring(PREFIX.length())));
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
