package jp.otpgateway.gateway.verification.domain;

import java.util.Optional;

/**
 * Reads an OTP as the user typed it (R1: 半角数字). Only full-width digits ０-９ are mapped to ASCII,
 * and only when the tenant allows it; any other character makes the input malformed (400), never
 * parsed leniently. A well-formed code has 6 to 8 ASCII digits; whether it is right is the TOTP's job.
 */
public final class OtpInput {

    private OtpInput() {
    }

    /** The code as ASCII digits, or empty when the input is malformed. */
    public static Optional<String> read(String input, boolean normalizeFullWidthDigits) {
        return digits(input, normalizeFullWidthDigits, 6, 8);
    }

    /** {@code min} to {@code max} digits read the same way (a serial: 8 to 12, R5). */
    public static Optional<String> digits(String input, boolean normalizeFullWidthDigits, int min, int max) {
        if (input == null || input.length() < min || input.length() > max) {
            return Optional.empty();
        }
        char[] digits = new char[input.length()];
        for (int i = 0; i < input.length(); i++) {
            char c = input.charAt(i);
            if (normalizeFullWidthDigits && c >= '\uFF10' && c <= '\uFF19') {
                c = (char) ('0' + (c - '\uFF10'));
            }
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
            digits[i] = c;
        }
        return Optional.of(new String(digits));
    }
}
