package jp.otpgateway.gateway.custody.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's data keys and the rules of their life (docs/custody.md): which key seals now, when a
 * new key may start sealing, which key may be removed. A key is named in every ciphertext it seals
 * by its {@link #prefix(long) prefix}.
 *
 * <p>Every instance holds the keys in memory and reads them again every refresh interval. A new key
 * becomes primary only {@code propagation} after it was made, and an instance seals only with keys
 * read within half of that ({@link #freshEnough}): so when any instance starts sealing with a new
 * key, every instance that can seal has it, and can open what was sealed with it.
 */
public record KeyRing(List<DataKey> keys) {

    /** One data key: its Tink key ID (unsigned 32 bits) and the instant it starts sealing. */
    public record DataKey(long id, Instant primaryFrom, Instant createdAt) {
        public DataKey {
            if (id < 0 || id > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("a key ID is an unsigned 32-bit number");
            }
        }
    }

    /** Why a key may not be removed; {@link Optional#empty()} from {@link #removal} when it may. */
    public enum RemovalRefusal {
        /** No key of that ID in the tenant's ring. */
        NOT_FOUND,
        /** It seals now, or will: the tenant would be left without its key. */
        PRIMARY,
        /** Seeds (or transport keys) are still sealed with it: they would become unreadable. */
        IN_USE
    }

    public KeyRing {
        keys = List.copyOf(keys);
    }

    /**
     * The key that seals at {@code now}: the latest whose {@code primaryFrom} has come; when none has
     * (a clock behind the one that made them, after the older key was removed), the earliest.
     */
    public Optional<DataKey> primaryAt(Instant now) {
        Comparator<DataKey> order = Comparator.comparing(DataKey::primaryFrom).thenComparing(DataKey::id);
        Optional<DataKey> come = keys.stream().filter(k -> !k.primaryFrom().isAfter(now)).max(order);
        return come.isPresent() ? come : keys.stream().min(order);
    }

    /** A key made but not yet sealing: another rotation waits for it. */
    public boolean rotationPending(Instant now) {
        return keys.stream().anyMatch(k -> k.primaryFrom().isAfter(now));
    }

    /**
     * The first key of a tenant that has none seals from the start of time: there is no older key
     * any instance could prefer, and a clock set back (a test's, a corrected one) still finds it.
     */
    public static Instant firstKeyPrimaryFrom() {
        return Instant.EPOCH;
    }

    /** A rotation's key starts sealing once every instance has read it ({@link #freshEnough}). */
    public static Instant rotatedKeyPrimaryFrom(Instant now, Duration propagation) {
        return now.plus(propagation);
    }

    /**
     * An instance seals only with keys it read less than half the propagation time ago ({@code
     * sinceRead}: elapsed time from the start of that read, on a monotonic clock).
     */
    public static boolean freshEnough(Duration sinceRead, Duration propagation) {
        return sinceRead.compareTo(propagation.dividedBy(2)) <= 0;
    }

    /** {@code sealedWithIt}: seeds and transport keys whose ciphertext carries the key's prefix. */
    public Optional<RemovalRefusal> removal(long id, long sealedWithIt, Instant now) {
        Optional<DataKey> key = keys.stream().filter(k -> k.id() == id).findFirst();
        if (key.isEmpty()) {
            return Optional.of(RemovalRefusal.NOT_FOUND);
        }
        boolean primary = primaryAt(now).map(p -> p.id() == id).orElse(false);
        if (primary || key.get().primaryFrom().isAfter(now)) {
            return Optional.of(RemovalRefusal.PRIMARY);
        }
        return sealedWithIt > 0 ? Optional.of(RemovalRefusal.IN_USE) : Optional.empty();
    }

    /**
     * The first 5 bytes of every ciphertext a key seals (Tink's TINK output prefix: version byte
     * 0x01, then the key ID big-endian). V14's statements compare {@code substring(… from 1 for 5)}
     * with it.
     */
    public static byte[] prefix(long id) {
        return new byte[] {1, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
    }

    /** {@link #prefix} as lower-case hex, as PostgreSQL's {@code encode(…, 'hex')} writes it. */
    public static String prefixHex(long id) {
        return HexFormat.of().formatHex(prefix(id));
    }

    /** The key ID a ciphertext names, or -1 when it carries no Tink prefix. */
    public static long keyIdOf(byte[] sealed) {
        if (sealed.length < 5 || sealed[0] != 1) {
            return -1;
        }
        return ((sealed[1] & 0xFFL) << 24) | ((sealed[2] & 0xFFL) << 16) | ((sealed[3] & 0xFFL) << 8) | (sealed[4] & 0xFFL);
    }
}
