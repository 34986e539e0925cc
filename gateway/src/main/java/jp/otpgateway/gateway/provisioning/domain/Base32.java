package jp.otpgateway.gateway.provisioning.domain;

import java.util.Arrays;
import java.util.Locale;
/** RFC 4648 Base32 (upper case, no padding): how authenticator apps take a TOTP secret. */
public final class Base32 {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private Base32() {
    }

    public static String encode(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET[(buffer >> (bits - 5)) & 0x1F]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (5 - bits)) & 0x1F]);
        }
        return out.toString();
    }

    /** The bytes of an RFC 4648 Base32 text (upper or lower case, padding and spaces ignored). */
    public static byte[] decode(String text) {
        byte[] out = new byte[text.length() * 5 / 8];
        int length = 0;
        int buffer = 0;
        int bits = 0;
        for (char c : text.toUpperCase(Locale.ROOT).toCharArray()) {
            if (c == '=' || c == ' ') {
                continue;
            }
            int value = c >= 'A' && c <= 'Z' ? c - 'A' : c >= '2' && c <= '7' ? c - '2' + 26 : -1;
            if (value < 0) {
                throw new IllegalArgumentException("not a Base32 character: " + c);
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out[length++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return Arrays.copyOf(out, length);
    }
}
