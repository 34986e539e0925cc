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

    /**
     * The time step whose code equals {@code code}, searching now ± window (RFC 6238 §5.2). Every
     * candidate is computed and compared in constant time, so the time taken does not tell how close
     * a guess was. When two steps of the window share the code, the later one is returned: replay
     * protection then errs on the side of refusing.
     */
    public static OptionalLong matchingStep(byte[] seed, TotpParameters p, String code, Instant now) {
        byte[] presented = code.getBytes(StandardCharsets.US_ASCII);
        long current = p.stepAt(now);
        long matched = Long.MIN_VALUE;
        for (long step = current - p.window(); step <= current + p.window(); step++) {
            byte[] expected = Hotp.generate(seed, step, p.algorithm(), p.digits()).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, presented)) {
                matched = step;
            }
        }
        return matched == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(matched);
    }
}
