package jp.otpgateway.gateway.shared.domain;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Cursors of lists paged by key (keyset): the last key of the previous page, opaque to clients
 * (base64url of a prefix and the key) so that its form may change, and only read back when it is
 * one this gateway made. A row inserted while a client pages appears on a later page or, when its
 * key sorts before the position, not in this pass; none is shown twice, none that existed skipped.
 */
public final class Keyset {

    private static final int MAX_LENGTH = 200;

    private Keyset() {
    }

    public static String encode(String prefix, String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((prefix + key).getBytes(StandardCharsets.UTF_8));
    }

    /** The key, when {@code cursor} is one made by {@link #encode} with this prefix and a key of this form. */
    public static Optional<String> decode(String prefix, String cursor, Pattern key) {
        if (cursor == null || cursor.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            return plain.startsWith(prefix) && key.matcher(plain.substring(prefix.length())).matches()
                    ? Optional.of(plain.substring(prefix.length())) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * A page size between 1 and {@code max}; absent means {@code fallback}. A bad value is reported
     * on {@code limit}.
     */
    public static int limit(Validation v, String text, int fallback, int max) {
        if (text == null) {
            return fallback;
        }
        int n = text.matches("[0-9]{1,6}") ? Integer.parseInt(text) : -1;
        if (n < 1 || n > max) {
            v.add(new FieldViolation("limit", FieldViolation.INVALID_VALUE, "件数は1〜" + max + "の整数で指定してください。"));
            return fallback;
        }
        return n;
    }

    /** The cursor's key, or a violation on {@code cursor}; absent when no cursor was given. */
    public static Optional<String> after(Validation v, String prefix, String cursor, Pattern key) {
        if (cursor == null) {
            return Optional.empty();
        }
        Optional<String> after = decode(prefix, cursor, key);
        if (after.isEmpty()) {
            v.add(new FieldViolation("cursor", FieldViolation.INVALID_FORMAT,
                    "cursor には前のページの nextCursor をそのまま指定してください。"));
        }
        return after;
    }
}
