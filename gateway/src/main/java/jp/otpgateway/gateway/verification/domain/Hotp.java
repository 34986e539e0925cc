package jp.otpgateway.gateway.verification.domain;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jp.otpgateway.tenant.model.HashAlgorithm;

/** RFC 4226 HOTP: HMAC over the 8-byte big-endian counter, dynamic truncation (§5.3), modulo 10^digits. */
public final class Hotp {

    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private Hotp() {
    }

    public static String generate(byte[] seed, long counter, HashAlgorithm algorithm, int digits) {
        if (digits < 6 || digits > 8) {
            throw new IllegalArgumentException("digits must be 6 to 8, was " + digits);
        }
        byte[] hash = hmac(seed, counter, algorithm);
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24)
                | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8)
                | (hash[offset + 3] & 0xff);
        int code = binary % POWERS_OF_TEN[digits];
        StringBuilder text = new StringBuilder(digits).append(code);
        while (text.length() < digits) {
            text.insert(0, '0');
        }
        return text.toString();
    }

    private static byte[] hmac(byte[] seed, long counter, HashAlgorithm algorithm) {
        byte[] message = new byte[8];
        for (int i = 7; i >= 0; i--) {
            message[i] = (byte) (counter & 0xff);
            counter >>>= 8;
        }
        try {
            Mac mac = Mac.getInstance(algorithm.macName());
            mac.init(new SecretKeySpec(seed, "RAW"));
            return mac.doFinal(message);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC " + algorithm + " is part of every Java runtime", e);
        }
    }
}
