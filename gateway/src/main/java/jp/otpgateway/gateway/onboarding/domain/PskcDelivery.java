package jp.otpgateway.gateway.onboarding.domain;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import jp.otpgateway.gateway.onboarding.domain.DeliveredToken.Defaults;
import jp.otpgateway.gateway.onboarding.domain.DeliveredToken.Row;
import jp.otpgateway.gateway.onboarding.domain.PskcDocument.Encrypted;
import jp.otpgateway.gateway.onboarding.domain.PskcDocument.KeyPackage;
import jp.otpgateway.gateway.onboarding.domain.PskcDocument.Secret;
import jp.otpgateway.tenant.model.HashAlgorithm;

/**
 * A vendor's PSKC delivery file (RFC 6030) turned into delivered tokens. The file is one unit:
 * every ValueMAC is checked before any secret is used, and a MAC that does not check, a wrong key
 * or password, an encrypted file without its MAC, or plain seeds where the tenant does not accept
 * them refuse the whole file ({@link Refused}: nothing is imported). Otherwise each KeyPackage is
 * judged on its own, by the rules of every delivered token ({@link DeliveredToken#check}), and a bad
 * one is reported with the line its KeyPackage starts on.
 *
 * <p>Supported: TOTP keys (HOTP and other algorithms are reported per key: the gateway verifies
 * time-based codes only); secrets as PlainValue or as EncryptedValue under AES-128-CBC, AES-192-CBC
 * or AES-256-CBC (IV first, PKCS #7 padding, §6.1) with a pre-shared key or a PBKDF2 key (§6.2,
 * HMAC-SHA1 unless the file names another PRF); ValueMAC with HMAC-SHA1, -SHA224, -SHA256, -SHA384
 * or -SHA512 over IV and ciphertext, under the file's MACKey (§6.1.1). A key without ResponseFormat
 * Length or TimeInterval takes the tenant's digits and period; without Suite, HMAC-SHA1; T0 other
 * than 0 is refused per key.
 */
public final class PskcDelivery {

    public static final String TOTP = "urn:ietf:params:xml:ns:keyprov:pskc:totp";
    public static final String HOTP = "urn:ietf:params:xml:ns:keyprov:pskc:hotp";
    public static final String PBKDF2 = "http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#pbkdf2";

    /** xenc block ciphers and their key lengths. */
    static final Map<String, Integer> CIPHERS = Map.of(
            "http://www.w3.org/2001/04/xmlenc#aes128-cbc", 16,
            "http://www.w3.org/2001/04/xmlenc#aes192-cbc", 24,
            "http://www.w3.org/2001/04/xmlenc#aes256-cbc", 32);

    /** MAC method URIs (RFC 6030 §6.1.1, RFC 4051) and their JCA names. */
    static final Map<String, String> MACS = Map.of(
            "http://www.w3.org/2000/09/xmldsig#hmac-sha1", "HmacSHA1",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha224", "HmacSHA224",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256", "HmacSHA256",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha384", "HmacSHA384",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha512", "HmacSHA512");

    /** PBKDF2 PRFs (RFC 8018 / xmldsig-more) and their JCA names; absent means HMAC-SHA1. */
    static final Map<String, String> PRFS = Map.of(
            "http://www.w3.org/2000/09/xmldsig#hmac-sha1", "PBKDF2WithHmacSHA1",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256", "PBKDF2WithHmacSHA256",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha384", "PBKDF2WithHmacSHA384",
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha512", "PBKDF2WithHmacSHA512");

    /** PBKDF2 work a file may ask for (a hostile file must not make the gateway spin). */
    static final int MAX_PBKDF2_ITERATIONS = 10_000_000;

    private PskcDelivery() {
    }

    /** What a file decodes to: the whole file refused, or one row per KeyPackage. */
    public sealed interface Result {
        record Refused(String detail, String message) implements Result {
        }

        record Rows(List<Row> rows) implements Result {
        }
    }

    /**
     * Derives the transport key of a password-protected file (§6.2). Empty when the file's
     * parameters are not usable (unknown PRF, a key length no AES cipher takes, absurd work).
     */
    public static Optional<byte[]> derive(PskcDocument.Protection.Password p, char[] password) {
        String prf = p.prf() == null ? "PBKDF2WithHmacSHA1" : PRFS.get(p.prf());
        if (prf == null || !CIPHERS.containsValue(p.keyLength()) || p.iterations() < 1
                || p.iterations() > MAX_PBKDF2_ITERATIONS || p.salt().length == 0) {
            return Optional.empty();
        }
        PBEKeySpec spec = new PBEKeySpec(password, p.salt(), p.iterations(), p.keyLength() * 8);
        try {
            return Optional.of(SecretKeyFactory.getInstance(prf).generateSecret(spec).getEncoded());
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        } finally {
            spec.clearPassword();
        }
    }

    /**
     * Decodes the file with its transport key (none, or no bytes, for a file without EncryptionKey).
     * {@code plainAllowed}: the tenant accepts seeds in clear ({@code tokens.hardware.pskcPlainValues}).
     */
    public static Result decode(PskcDocument document, byte[] transportKey, boolean plainAllowed, Instant now,
                                Defaults defaults) {
        boolean encrypted = !(document.protection() instanceof PskcDocument.Protection.None);
        boolean anyPlain = document.packages().stream().anyMatch(k -> k.secret() instanceof Secret.Plain);
        boolean anySealed = document.packages().stream().anyMatch(k -> k.secret() instanceof Secret.Sealed);
        if (anyPlain && !plainAllowed) {
            return refused("the file holds seeds in clear (PlainValue) and the tenant accepts none",
                    "暗号化されていないシード（PlainValue）を含むファイルは受け付けていません。暗号化されたファイルの提供をトークン業者に依頼してください。");
        }
        if (anySealed && !encrypted) {
            return refused("encrypted secrets without an EncryptionKey", "ファイルに暗号鍵の指定（EncryptionKey）がありません。");
        }
        byte[] macKey = null;
        if (anySealed) {
            if (document.mac().isEmpty() || MACS.get(document.mac().get().algorithm()) == null) {
                return refused("encrypted secrets need a MACMethod of HMAC-SHA1/-SHA2 (RFC 6030 §6.1.1)",
                        "暗号化されたシードにはMAC（MACMethod）が必要です。");
            }
            Optional<byte[]> opened = decrypt(document.mac().get().key(), transportKey);
            if (opened.isEmpty()) {
                return wrongKey();
            }
            macKey = opened.get();
        }
        // Every MAC first: one that does not check refuses the whole file before any seed is used.
        for (KeyPackage k : document.packages()) {
            if (k.secret() instanceof Secret.Sealed sealed) {
                if (sealed.valueMac() == null) {
                    return refused("KeyPackage at line " + k.line() + " has no ValueMAC",
                            k.line() + "行目のKeyPackageにValueMACがありません。");
                }
                if (!MessageDigest.isEqual(mac(document.mac().get().algorithm(), macKey,
                        sealed.value().ivAndCiphertext()), sealed.valueMac())) {
                    return refused("the ValueMAC of the KeyPackage at line " + k.line() + " does not check",
                            k.line() + "行目のKeyPackageのMACが一致しません。ファイルが改ざんまたは破損しています。");
                }
            }
        }
        List<Row> rows = new ArrayList<>(document.packages().size());
        for (KeyPackage k : document.packages()) {
            byte[] seed = null;
            if (k.secret() instanceof Secret.Plain plain) {
                seed = plain.value();
            } else if (k.secret() instanceof Secret.Sealed sealed) {
                Optional<byte[]> opened = decrypt(sealed.value(), transportKey);
                if (opened.isEmpty()) {
                    return wrongKey();
                }
                seed = opened.get();
            }
            rows.add(row(k, seed, now, defaults));
        }
        if (macKey != null) {
            Arrays.fill(macKey, (byte) 0);
        }
        return new Result.Rows(rows);
    }

    private static Row row(KeyPackage k, byte[] seed, Instant now, Defaults defaults) {
        if (k.algorithm() == null) {
            return DeliveredToken.invalid(k.line(), "INVALID_SEED", "KeyPackage に Key（シード）がありません。");
        }
        if (HOTP.equals(k.algorithm())) {
            return DeliveredToken.invalid(k.line(), "UNSUPPORTED_ALGORITHM",
                    "HOTP（イベント同期）トークンは登録できません。時刻同期（TOTP）のトークンのみ利用できます。");
        }
        if (!TOTP.equals(k.algorithm())) {
            return DeliveredToken.invalid(k.line(), "UNSUPPORTED_ALGORITHM",
                    "TOTP（urn:ietf:params:xml:ns:keyprov:pskc:totp）以外のアルゴリズムのトークンは登録できません。");
        }
        if (k.encoding() != null && !"DECIMAL".equals(k.encoding())) {
            return DeliveredToken.invalid(k.line(), "INVALID_DIGITS", "ResponseFormat の Encoding は DECIMAL のみ利用できます。");
        }
        if (k.time() != null && k.time() != 0) {
            return DeliveredToken.invalid(k.line(), "INVALID_PERIOD", "Time（T0）は 0 のみ利用できます。");
        }
        if (seed == null) {
            return DeliveredToken.invalid(k.line(), "INVALID_SEED", "KeyPackage にシード（Secret）がありません。");
        }
        DeliveredToken.Expiry expiry = k.expiry() == null ? new DeliveredToken.Expiry.Absent() : DeliveredToken.Expiry.parse(k.expiry());
        return DeliveredToken.check(k.line(), k.serial(), seed, suite(k.suite()),
                k.digits() == null ? defaults.digits() : k.digits(),
                k.timeInterval() == null ? defaults.periodSeconds() : k.timeInterval(), expiry, now, defaults);
    }

    /** The hash of a TOTP key: from Suite where a vendor names one (SHA256, HMAC-SHA256…), else SHA1 (RFC 6238). */
    static Optional<HashAlgorithm> suite(String suite) {
        if (suite == null || suite.isBlank()) {
            return Optional.of(HashAlgorithm.SHA1);
        }
        return DeliveredToken.algorithm(suite.strip().replaceFirst("(?i)^HMAC-?", "").replace("-", ""));
    }

    /** AES-CBC with the IV in front and PKCS #7 padding; empty for a wrong key (bad padding) or a bad value. */
    static Optional<byte[]> decrypt(Encrypted value, byte[] key) {
        Integer keyLength = CIPHERS.get(value.algorithm());
        byte[] data = value.ivAndCiphertext();
        if (key == null || keyLength == null || key.length != keyLength || data.length < 32 || data.length % 16 != 0) {
            return Optional.empty();
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(data, 0, 16));
            return Optional.of(cipher.doFinal(data, 16, data.length - 16));
        } catch (BadPaddingException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CBC is not available", e);
        }
    }

    static byte[] mac(String algorithm, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(MACS.get(algorithm));
            mac.init(new SecretKeySpec(key, MACS.get(algorithm)));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC is not available", e);
        }
    }

    private static Result refused(String detail, String message) {
        return new Result.Refused(detail, message);
    }

    private static Result wrongKey() {
        return refused("a value does not decrypt: the transport key or the password is wrong",
                "ファイルを復号できません。転送鍵（PSKC-Key）またはパスワード（PSKC-Password）をご確認ください。");
    }
}
