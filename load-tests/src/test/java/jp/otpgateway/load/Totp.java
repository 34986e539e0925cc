package jp.otpgateway.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The load tests' own RFC 6238 TOTP (HMAC-SHA1, 8 digits, 60 s: the tokens they seed), written
 * apart from the gateway's so that a bug in one is not hidden by the same bug in the other.
 */
public final class Totp {

    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private Totp() {
    }

    /** The RFC 6238 time step of {@code epochMillis} for 60-second periods. */
    public static long step(long epochMillis) {
        return Math.floorDiv(epochMillis, 60_000L);
    }

    /** The 8-digit code of {@code seed} at {@code step} (RFC 4226 §5.3 dynamic truncation). */
    public static String code(byte[] seed, long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(seed, "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            return String.format("%08d", binary % POWERS[8]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
    }

    /** A code that is not the token's for {@code step} nor its neighbours (the gateway's window). */
    public static String wrongCode(byte[] seed, long step) {
        String near = code(seed, step - 1) + code(seed, step) + code(seed, step + 1);
        for (long candidate = 12_345_678L; ; candidate = (candidate + 7_919_311L) % 100_000_000L) {
            String text = String.format("%08d", candidate);
            if (!near.contains(text)) {
                return text;
            }
        }
    }

    /** The seed of a load-test token: derived from tenant and serial, so no simulation needs a file. */
    public static byte[] seed(String tenant, String serial) {
        try {
            return MessageDigest.getInstance("SHA-1")
                    .digest(("otp-load-test:" + tenant + ":" + serial).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
        }
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
