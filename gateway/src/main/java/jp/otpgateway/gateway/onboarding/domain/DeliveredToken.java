package jp.otpgateway.gateway.onboarding.domain;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;
import jp.otpgateway.tenant.model.HashAlgorithm;
import jp.otpgateway.tenant.model.TenantConfig;

/**
 * What every delivered hardware token must be, whichever file it came in (the CSV delivery file,
 * {@link TokenCsv}, or a vendor's PSKC file, {@link PskcDelivery}): a serial of 8–12 digits, a seed
 * of 16–64 bytes, SHA1/SHA256/SHA512, 6 or 8 digits, a step of 15–300 s, an expiry in the future
 * (absent: the tenant's hardware validity from the import). Each token is judged on its own: a bad
 * one is reported with its line and never stops the others. Error texts never contain the seed.
 */
public final class DeliveredToken {

    public static final Pattern SERIAL = Pattern.compile("[0-9]{8,12}");
    /** RFC 4226 §4 R6: at least 128 bits; 512 bits covers SHA-512 block-sized keys. */
    static final int MIN_SEED_BYTES = 16;
    static final int MAX_SEED_BYTES = 64;

    private DeliveredToken() {
    }

    /** Result of one delivered token: the token, or why not. */
    public sealed interface Row {
        record Valid(ImportedToken token) implements Row {
        }

        record Invalid(ImportLineError error) implements Row {
        }
    }

    /** What a token without an expiry, algorithm, digits or period takes: the tenant's. */
    public record Defaults(Period validity, ZoneId zone, HashAlgorithm algorithm, int digits, int periodSeconds) {

        public static Defaults of(TenantConfig tenant) {
            return new Defaults(tenant.tokens().hardware().validity(), tenant.timeZone(), tenant.otp().algorithm(),
                    tenant.otp().digits(), (int) tenant.otp().period().toSeconds());
        }
    }

    /** A token's expiry as the file gave it. */
    public sealed interface Expiry {

        /** An ISO-8601 time with an offset (xs:dateTime in PSKC), or Unreadable. */
        static Expiry parse(String text) {
            try {
                return new Given(OffsetDateTime.parse(text.strip()).toInstant());
            } catch (DateTimeParseException e) {
                return new Unreadable();
            }
        }

        record Given(Instant at) implements Expiry {
        }

        /** Not in the file: the tenant's hardware validity from the import. */
        record Absent() implements Expiry {
        }

        /** In the file, but not a time with an offset. */
        record Unreadable() implements Expiry {
        }
    }

    /**
     * Judges one token, in this order: serial, seed ({@code null}: not readable as bytes),
     * algorithm (empty: not one of ours), digits, period, expiry.
     */
    public static Row check(long line, String serial, byte[] seed, Optional<HashAlgorithm> algorithm, int digits,
                            int periodSeconds, Expiry expiry, Instant now, Defaults defaults) {
        if (serial == null || !SERIAL.matcher(serial).matches()) {
            return invalid(line, "INVALID_SERIAL", "シリアル番号は8～12桁の半角数字で指定してください。");
        }
        if (seed == null || seed.length < MIN_SEED_BYTES || seed.length > MAX_SEED_BYTES) {
            return invalid(line, "INVALID_SEED",
                    "シードは" + MIN_SEED_BYTES + "～" + MAX_SEED_BYTES + "バイトの16進数で指定してください。");
        }
        if (algorithm.isEmpty()) {
            return invalid(line, "INVALID_ALGORITHM", "algorithm は SHA1、SHA256、SHA512 のいずれかです。");
        }
        if (digits != 6 && digits != 8) {
            return invalid(line, "INVALID_DIGITS", "digits は 6 または 8 です。");
        }
        if (periodSeconds < 15 || periodSeconds > 300) {
            return invalid(line, "INVALID_PERIOD", "period は15～300秒で指定してください。");
        }
        Instant expiresAt;
        if (expiry instanceof Expiry.Given given) {
            if (!given.at().isAfter(now)) {
                return invalid(line, "EXPIRED", "有効期限が過ぎたトークンは登録できません。");
            }
            expiresAt = given.at();
        } else if (expiry instanceof Expiry.Unreadable) {
            return invalid(line, "INVALID_EXPIRY",
                    "有効期限はオフセット付きのISO-8601形式で指定してください（例: 2031-03-31T23:59:59+09:00）。");
        } else {
            expiresAt = now.atZone(defaults.zone()).plus(defaults.validity()).toInstant();
        }
        return new Row.Valid(new ImportedToken(serial, seed, algorithm.get(), digits, periodSeconds, expiresAt));
    }

    /** SHA1, SHA256 or SHA512, in any case; empty for anything else. */
    public static Optional<HashAlgorithm> algorithm(String name) {
        for (HashAlgorithm a : HashAlgorithm.values()) {
            if (a.name().equalsIgnoreCase(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    static Row invalid(long line, String code, String message) {
        return new Row.Invalid(new ImportLineError(line, code, message));
    }
}
