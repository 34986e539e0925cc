package jp.otpgateway.gateway.provisioning.domain;

import java.nio.charset.StandardCharsets;
import jp.otpgateway.tenant.model.HashAlgorithm;

/**
 * The Key URI Format of Google Authenticator, read by the standard authenticator apps:
 * {@code otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=ISSUER&algorithm=SHA1&digits=8&period=60}.
 * The issuer is the credit union's name (UTF-8, percent-encoded); the account is the serial.
 */
public final class OtpauthUri {

    private OtpauthUri() {
    }

    public static String totp(String issuer, String account, byte[] seed, HashAlgorithm algorithm, int digits,
                              int periodSeconds) {
        String label = encode(issuer) + ":" + encode(account);
        return "otpauth://totp/" + label + "?secret=" + Base32.encode(seed) + "&issuer=" + encode(issuer)
                + "&algorithm=" + algorithm.name() + "&digits=" + digits + "&period=" + periodSeconds;
    }

    /** RFC 3986 percent-encoding of UTF-8: everything but the unreserved characters (a space is %20). */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return out.toString();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
