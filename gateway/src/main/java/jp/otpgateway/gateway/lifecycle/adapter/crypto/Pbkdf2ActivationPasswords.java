package jp.otpgateway.gateway.lifecycle.adapter.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import jp.otpgateway.gateway.lifecycle.application.port.ActivationPasswords;
import jp.otpgateway.gateway.config.OtpProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Activation passwords as PBKDF2-HMAC-SHA256 with a 128-bit random salt, stored as
 * {@code pbkdf2-sha256$ROUNDS$SALT$HASH} (Base64), so a change of the rounds keeps older hashes
 * verifiable. The work runs on a few threads of its own, never on the event loop, and at most
 * {@code otp.software.password-hash-threads} hashes run at once.
 */
@Component
public class Pbkdf2ActivationPasswords implements ActivationPasswords, DisposableBean {

    private static final String PREFIX = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final int rounds;
    private final Scheduler scheduler;
    private final SecureRandom random = new SecureRandom();
    private final String dummy;

    public Pbkdf2ActivationPasswords(OtpProperties properties) {
        this.rounds = properties.software().passwordHashIterations();
        int threads = properties.software().passwordHashThreads();
        this.scheduler = Schedulers.newBoundedElastic(threads, 10_000, "activation-password", 60, true);
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        this.dummy = encode(rounds, salt, derive("dummy".toCharArray(), salt, rounds));
    }

    @Override
    public Mono<String> hash(String password) {
        return Mono.fromCallable(() -> {
            byte[] salt = new byte[SALT_BYTES];
            random.nextBytes(salt);
            return encode(rounds, salt, derive(password.toCharArray(), salt, rounds));
        }).subscribeOn(scheduler);
    }

    @Override
    public Mono<Boolean> matches(String password, String encodedHash) {
        return Mono.fromCallable(() -> check(password, encodedHash)).subscribeOn(scheduler);
    }

    @Override
    public Mono<Boolean> matchesNothing(String password) {
        return Mono.fromCallable(() -> {
            check(password, dummy); // the work of a real check; the answer is always no
            return false;
        }).subscribeOn(scheduler);
    }

    private static boolean check(String password, String encoded) {
        String[] parts = encoded.split("\\$");
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            throw new IllegalStateException("not an activation password hash of this gateway");
        }
        int rounds = Integer.parseInt(parts[1]);
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        return MessageDigest.isEqual(expected, derive(password.toCharArray(), salt, rounds));
    }

    private static String encode(int rounds, byte[] salt, byte[] hash) {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + rounds + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    private static byte[] derive(char[] password, byte[] salt, int rounds) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, rounds, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java runtime", e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public void destroy() {
        scheduler.dispose();
    }
}
