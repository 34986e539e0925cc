package jp.otpgateway.gateway.lifecycle.application;

import java.security.SecureRandom;
import jp.otpgateway.tenant.model.HashAlgorithm;
import org.springframework.stereotype.Component;

/**
 * Fresh secrets and identifiers of a software token (R2), all from one CSPRNG: the seed (as long as
 * the HMAC's output: 160 bits for SHA1, RFC 4226 §4), the serial, and the app's service and user IDs,
 * random so that they cannot be guessed from one another. Draws may read the OS entropy source:
 * call them off the event loop.
 */
@Component
public class SoftwareCredentials {

    private final SecureRandom random = new SecureRandom();

    public byte[] seed(HashAlgorithm algorithm) {
        byte[] seed = new byte[switch (algorithm) {
            case SHA1 -> 20;
            case SHA256 -> 32;
            case SHA512 -> 64;
        }];
        random.nextBytes(seed);
        return seed;
    }

    /** 10 digits (the serial column takes 8–12), never starting with 0. */
    public String serial() {
        return digits(10);
    }

    /** サービスID: 8 digits. */
    public String serviceId() {
        return digits(8);
    }

    /** ユーザID: 12 digits. */
    public String appUserId() {
        return digits(12);
    }

    private String digits(int length) {
        StringBuilder out = new StringBuilder(length);
        out.append((char) ('1' + random.nextInt(9)));
        for (int i = 1; i < length; i++) {
            out.append((char) ('0' + random.nextInt(10)));
        }
        return out.toString();
    }
}
