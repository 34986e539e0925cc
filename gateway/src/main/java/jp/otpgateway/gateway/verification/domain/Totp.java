package jp.otpgateway.gateway.verification.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.OptionalLong;

/** RFC 6238 TOTP: HOTP of the time step. */
public final class Totp {

    private Totp() {
    }

    public static String codeAt(byte[] seed, TotpParameters p, Instant instant) {
        return Hotp.generate(seed, p.stepAt(instant), p.algorithm(), p.digits());
    }

    /** {@link #matchingStep(byte[], TotpParameters, String, Instant, int)} for a token without drift. */
    public static OptionalLong matchingStep(byte[] seed, TotpParameters p, String code, Instant now) {
        return matchingStep(seed, p, code, now, 0);
    }

    /**
     * The time step whose code equals {@code code}, searching now + offset ± window (RFC 6238 §5.2,
     * §6: {@code offset} is the token's learned drift, {@link Drift}). Every candidate is computed and
     * compared in constant time, so the time taken does not tell how close a guess was. When two
     * steps of the window share the code, the later one is returned: replay protection then errs on
     * the side of refusing.
     */
    public static OptionalLong matchingStep(byte[] seed, TotpParameters p, String code, Instant now, int offset) {
        byte[] presented = code.getBytes(StandardCharsets.US_ASCII);
        long centre = p.stepAt(now) + offset;
        long matched = Long.MIN_VALUE;
        for (long step = centre - p.window(); step <= centre + p.window(); step++) {
            if (MessageDigest.isEqual(code(seed, p, step), presented)) {
                matched = step;
            }
        }
        return matched == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(matched);
    }

    /**
     * Resynchronisation (RFC 6238 §6): the step of {@code second} where {@code first} is the code of
     * the step before it and both lie within now ± {@code range}. Every candidate of the range is
     * computed and compared in constant time; of two matching pairs the later one is returned. Two
     * equal codes never match (a code typed twice says nothing about the token's clock).
     */
    public static OptionalLong matchingPair(byte[] seed, TotpParameters p, String first, String second, Instant now,
                                            int range) {
        if (first.equals(second) || range < 1) {
            return OptionalLong.empty();
        }
        byte[] one = first.getBytes(StandardCharsets.US_ASCII);
        byte[] two = second.getBytes(StandardCharsets.US_ASCII);
        long current = p.stepAt(now);
        long matched = Long.MIN_VALUE;
        boolean previousMatchesFirst = false;
        for (long step = current - range; step <= current + range; step++) {
            byte[] candidate = code(seed, p, step);
            boolean pair = previousMatchesFirst & MessageDigest.isEqual(candidate, two);
            if (pair) {
                matched = step;
            }
            previousMatchesFirst = MessageDigest.isEqual(candidate, one);
        }
        return matched == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(matched);
    }

    private static byte[] code(byte[] seed, TotpParameters p, long step) {
        return Hotp.generate(seed, step, p.algorithm(), p.digits()).getBytes(StandardCharsets.US_ASCII);
    }
}
