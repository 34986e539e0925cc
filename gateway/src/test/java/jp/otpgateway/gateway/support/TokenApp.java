package jp.otpgateway.gateway.support;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import jp.otpgateway.gateway.verification.domain.Totp;
import jp.otpgateway.gateway.verification.domain.TotpParameters;
import jp.otpgateway.tenant.model.HashAlgorithm;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Plays the token app: the initial setup call from a client address of its own, and the codes of
 * the secret it received, computed as an authenticator app does (RFC 4648 Base32, RFC 6238).
 */
public final class TokenApp {

    private TokenApp() {
    }

    /** A documentation-range address (RFC 5737) no other test uses, for the per-address limit. */
    public static String newAddress() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "198.51." + r.nextInt(0, 256) + "." + r.nextInt(1, 255);
    }

    public static WebTestClient.ResponseSpec setup(WebTestClient http, String address, String serviceId,
                                                   String appUserId, String activationPassword) {
        return http.post().uri("/v1/provisioning")
                .header("X-Forwarded-For", address)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("serviceId", serviceId, "appUserId", appUserId,
                        "activationPassword", activationPassword))
                .exchange();
    }

    /** The 8-digit, 60-second SHA1 code of the Base32 {@code secret} at {@code at}. */
    public static String codeAt(String secret, Instant at) {
        return Totp.codeAt(base32(secret), new TotpParameters(HashAlgorithm.SHA1, 8, Duration.ofSeconds(60), 1), at);
    }

    /** RFC 4648 Base32 without padding, written here independently of the gateway's encoder. */
    public static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : text.toCharArray()) {
            int value = alphabet.indexOf(c);
            if (value < 0) {
                throw new IllegalArgumentException("not Base32: " + c);
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xFF);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
