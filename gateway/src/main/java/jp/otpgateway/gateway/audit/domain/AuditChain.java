package jp.otpgateway.gateway.audit.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The audit trail's tamper evidence as pure functions. A block's digest is SHA-256 over its rows in
 * event order, each row encoded field by field with its length (so no two different rows encode the
 * same); the block's MAC covers the tenant, the block number, the id range, the count, the latest
 * time, the digest and the previous block's MAC. Changing, inserting, deleting or reordering a row,
 * or removing, reordering or forging a block, therefore breaks a digest, a count, a range or a MAC;
 * only the key (held by the gateway, not the database) can make a block that checks.
 */
public final class AuditChain {

    private static final byte[] DOMAIN = "otp-gateway audit block v1".getBytes(StandardCharsets.UTF_8);

    private AuditChain() {
    }

    /** The digest of the blocks sealed now: every row's fields including its subject (V16). */
    public static final int CURRENT_FORMAT = 2;

    /**
     * {@code format} 1: the fields up to the contract (blocks sealed before V16); 2: also the subject,
     * for every row (absent as a field of length -1, like every absent field).
     */
    public static byte[] digest(List<AuditRow> rows, int format) {
        if (format != 1 && format != 2) {
            throw new IllegalArgumentException("unknown seal format " + format);
        }
        MessageDigest sha = sha256();
        for (AuditRow r : rows) {
            ByteBuffer b = ByteBuffer.allocate(16);
            b.putLong(r.id()).putLong(micros(r.at()));
            sha.update(b.array());
            for (String field : Arrays.asList(r.tenantId(), r.loginId().orElse(null), r.serial().orElse(null),
                    r.operation(), r.outcome(), r.client(), r.actor().orElse(null), r.staffId().orElse(null),
                    r.contractId().orElse(null))) {
                field(sha, field);
            }
            if (format >= 2) {
                field(sha, r.subject().orElse(null));
            }
        }
        return sha.digest();
    }

    /** What the MAC of a block covers. */
    public static byte[] macInput(String tenantId, long blockNo, long first, long last, int count, Instant lastAt,
                                  byte[] digest, byte[] previousMac) {
        MessageDigest sha = sha256(); // a fixed-size input: the MAC is over its SHA-256
        sha.update(DOMAIN);
        field(sha, tenantId);
        ByteBuffer b = ByteBuffer.allocate(8 * 4 + 4);
        b.putLong(blockNo).putLong(first).putLong(last).putInt(count).putLong(micros(lastAt));
        sha.update(b.array());
        field(sha, digest);
        field(sha, previousMac);
        return sha.digest();
    }

    /** The microseconds PostgreSQL keeps of an instant (timestamptz), so a stored time hashes as it was sealed. */
    static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
    }

    private static void field(MessageDigest sha, String value) {
        field(sha, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static void field(MessageDigest sha, byte[] value) {
        ByteBuffer len = ByteBuffer.allocate(4).putInt(value == null ? -1 : value.length);
        sha.update(len.array());
        if (value != null) {
            sha.update(value);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The outcome of a verification; {@code firstBadBlock} and {@code reason} when not intact. */
    public record Verdict(long verifiedRows, long verifiedBlocks, long unsealedRows, boolean intact,
                          Optional<Long> firstBadBlock, Optional<String> reason) {

        public static Verdict intact(long rows, long blocks, long unsealed) {
            return new Verdict(rows, blocks, unsealed, true, Optional.empty(), Optional.empty());
        }

        public static Verdict broken(long rows, long blocks, long blockNo, String reason) {
            return new Verdict(rows, blocks, 0, false, Optional.of(blockNo), Optional.of(reason));
        }
    }

    /**
     * The chain at one block: its number follows the previous one, its range comes after it, and its
     * MAC (over the previous MAC too) checks. Empty when it does, else the reason.
     */
    public static Optional<String> checkLink(Seal seal, Optional<Seal> previous, BiPredicate<byte[], byte[]> macVerifies) {
        long expectedNo = previous.map(p -> p.blockNo() + 1).orElse(1L);
        if (seal.blockNo() != expectedNo) {
            return Optional.of("block " + expectedNo + " is missing");
        }
        if (previous.filter(p -> seal.firstEventId() <= p.lastEventId()).isPresent()) {
            return Optional.of("the block overlaps the previous one");
        }
        byte[] input = macInput(seal.tenantId(), seal.blockNo(), seal.firstEventId(), seal.lastEventId(),
                seal.rowCount(), seal.lastAt(), seal.digest(), previous.map(Seal::mac).orElse(new byte[0]));
        if (!macVerifies.test(seal.mac(), input)) {
            return Optional.of("the block's MAC does not check (the seal was changed or forged, or the chain reordered)");
        }
        return Optional.empty();
    }

    /**
     * One block's rows against its seal: {@code rows} are those now stored with ids from just after
     * the previous block's last up to this block's last. A purged block must hold none and may only
     * have been purged once the retention period had passed. Empty when they check, else the reason.
     */
    public static Optional<String> checkRows(Seal seal, List<AuditRow> rows, Period retention, Instant now) {
        if (seal.purgedAt().isPresent()) {
            if (!pastRetention(seal, retention, now)) {
                return Optional.of("the block was removed before its retention period ended");
            }
            return rows.isEmpty() ? Optional.empty() : Optional.of("rows were written into a purged block");
        }
        List<AuditRow> before = rows.stream().filter(r -> r.id() < seal.firstEventId()).toList();
        if (!before.isEmpty()) {
            return Optional.of("a row was inserted before the block (event " + before.get(0).id() + ")");
        }
        if (rows.size() != seal.rowCount()) {
            return Optional.of("the block holds " + rows.size() + " rows, sealed with " + seal.rowCount()
                    + " (a row was inserted or deleted)");
        }
        if (!MessageDigest.isEqual(digest(rows, seal.format()), seal.digest())) {
            return Optional.of("the rows do not match their digest (a row was changed or rows were swapped)");
        }
        return Optional.empty();
    }

    /** Whether a block's rows are past the retention period (and may be purged). */
    public static boolean pastRetention(Seal seal, Period retention, Instant now) {
        return seal.lastAt().atOffset(ZoneOffset.UTC).plus(retention).toInstant().isBefore(now);
    }
}
