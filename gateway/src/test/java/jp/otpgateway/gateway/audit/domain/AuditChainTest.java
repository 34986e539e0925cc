package jp.otpgateway.gateway.audit.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/** The chain's rules without a database: a stand-in MAC (SHA-256 of a secret and the input). */
class AuditChainTest {

    static final byte[] SECRET = "not-the-database's".getBytes();
    static final Instant T = Instant.parse("2026-11-01T00:00:00.123456Z");

    static byte[] mac(byte[] input) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(SECRET);
            return sha.digest(input);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static final BiPredicate<byte[], byte[]> VERIFIES = (tag, input) -> Arrays.equals(tag, mac(input));

    static AuditRow row(long id, String outcome) {
        return new AuditRow(id, "t1", T.plusSeconds(id), Optional.of("u1"), Optional.of("123456789012"), "LOGIN",
                outcome, "portal", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Seal seal(long no, List<AuditRow> rows, Optional<Seal> previous) {
        byte[] digest = AuditChain.digest(rows, AuditChain.CURRENT_FORMAT);
        Instant lastAt = rows.get(rows.size() - 1).at();
        byte[] m = mac(AuditChain.macInput("t1", no, rows.get(0).id(), rows.get(rows.size() - 1).id(), rows.size(),
                lastAt, digest, previous.map(Seal::mac).orElse(new byte[0])));
        return new Seal("t1", no, rows.get(0).id(), rows.get(rows.size() - 1).id(), rows.size(), lastAt, digest, m, T,
                Optional.empty(), AuditChain.CURRENT_FORMAT);
    }

    @Test
    void anyChangeOfARowOrOfTheirOrderChangesTheDigest() {
        List<AuditRow> rows = List.of(row(1, "INVALID"), row(2, "ACCEPTED"));
        byte[] d = AuditChain.digest(rows, 2);
        assertThat(AuditChain.digest(List.of(row(1, "INVALID"), row(2, "ACCEPTED")), 2)).isEqualTo(d);
        assertThat(AuditChain.digest(List.of(row(1, "ACCEPTED"), row(2, "ACCEPTED")), 2)).isNotEqualTo(d);
        assertThat(AuditChain.digest(List.of(row(2, "ACCEPTED"), row(1, "INVALID")), 2)).isNotEqualTo(d);
        // fields never run into each other: "ab"+"c" differs from "a"+"bc"
        AuditRow ab = new AuditRow(1, "t1", T, Optional.of("ab"), Optional.of("c"), "X", "Y", "p", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
        AuditRow a = new AuditRow(1, "t1", T, Optional.of("a"), Optional.of("bc"), "X", "Y", "p", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(AuditChain.digest(List.of(ab), 2)).isNotEqualTo(AuditChain.digest(List.of(a), 2));
    }

    /** Format 2 (blocks sealed from V16 on) covers the subject; format 1 (older blocks) stays as it was. */
    @Test
    void theSubjectIsSealedFromFormat2OnAndOlderBlocksVerifyAsBefore() {
        AuditRow key1 = new AuditRow(1, "t1", T, Optional.empty(), Optional.empty(), "DATA_KEY", "REMOVED", "ops",
                Optional.empty(), Optional.of("clerk-1"), Optional.empty(), Optional.of("1909003728"));
        AuditRow key2 = new AuditRow(1, "t1", T, Optional.empty(), Optional.empty(), "DATA_KEY", "REMOVED", "ops",
                Optional.empty(), Optional.of("clerk-1"), Optional.empty(), Optional.of("4263704264"));
        AuditRow none = new AuditRow(1, "t1", T, Optional.empty(), Optional.empty(), "DATA_KEY", "REMOVED", "ops",
                Optional.empty(), Optional.of("clerk-1"), Optional.empty(), Optional.empty());
        assertThat(AuditChain.digest(List.of(key1), 2)).isNotEqualTo(AuditChain.digest(List.of(key2), 2))
                .isNotEqualTo(AuditChain.digest(List.of(none), 2));
        // a block sealed before the subject existed: its rows have none, and format 1 gives the old digest
        assertThat(AuditChain.digest(List.of(none), 1)).isNotEqualTo(AuditChain.digest(List.of(none), 2));
        Seal old = new Seal("t1", 1, 1, 1, 1, T, AuditChain.digest(List.of(none), 1), new byte[0], T, Optional.empty(), 1);
        assertThat(AuditChain.checkRows(old, List.of(none), Period.ofYears(10), T)).isEmpty();
        assertThat(AuditChain.checkRows(old, List.of(key1), Period.ofYears(10), T)).isEmpty(); // format 1 never saw it
        Seal current = new Seal("t1", 1, 1, 1, 1, T, AuditChain.digest(List.of(key1), 2), new byte[0], T,
                Optional.empty(), 2);
        assertThat(AuditChain.checkRows(current, List.of(key2), Period.ofYears(10), T)).get().asString().contains("digest");
    }

    @Test
    void theChainNamesTheFirstBadPlace() {
        List<AuditRow> first = List.of(row(1, "INVALID"), row(2, "ACCEPTED"));
        List<AuditRow> second = List.of(row(5, "ACCEPTED"));
        Seal one = seal(1, first, Optional.empty());
        Seal two = seal(2, second, Optional.of(one));
        Instant now = T.plusSeconds(3600);
        Period tenYears = Period.ofYears(10);
        assertThat(AuditChain.checkLink(one, Optional.empty(), VERIFIES)).isEmpty();
        assertThat(AuditChain.checkLink(two, Optional.of(one), VERIFIES)).isEmpty();
        assertThat(AuditChain.checkRows(one, first, tenYears, now)).isEmpty();
        assertThat(AuditChain.checkRows(two, second, tenYears, now)).isEmpty();

        assertThat(AuditChain.checkLink(two, Optional.empty(), VERIFIES)).get().asString().contains("block 1 is missing");
        Seal forged = new Seal("t1", 2, 5, 5, 2, two.lastAt(), two.digest(), two.mac(), T, Optional.empty(), 2);
        assertThat(AuditChain.checkLink(forged, Optional.of(one), VERIFIES)).get().asString().contains("MAC");
        assertThat(AuditChain.checkRows(one, List.of(row(1, "INVALID")), tenYears, now)).get().asString()
                .contains("inserted or deleted");
        assertThat(AuditChain.checkRows(one, List.of(row(1, "ACCEPTED"), row(2, "ACCEPTED")), tenYears, now)).get()
                .asString().contains("digest");
        List<AuditRow> withGhost = new ArrayList<>(second);
        withGhost.add(0, row(3, "ACCEPTED"));
        assertThat(AuditChain.checkRows(two, withGhost, tenYears, now)).get().asString().contains("inserted before");
    }

    @Test
    void aBlockMayBePurgedOnlyPastTheRetentionAndThenHoldsNoRows() {
        List<AuditRow> rows = List.of(row(1, "ACCEPTED"));
        Seal s = seal(1, rows, Optional.empty());
        Seal purged = new Seal(s.tenantId(), 1, 1, 1, 1, s.lastAt(), s.digest(), s.mac(), T, Optional.of(T), 2);
        Period year = Period.ofYears(1);
        assertThat(AuditChain.pastRetention(s, year, T.plusSeconds(86_400 * 366))).isTrue();
        assertThat(AuditChain.pastRetention(s, year, T.plusSeconds(86_400 * 300))).isFalse();
        assertThat(AuditChain.checkRows(purged, List.of(), year, T.plusSeconds(86_400 * 366))).isEmpty();
        assertThat(AuditChain.checkRows(purged, List.of(), year, T.plusSeconds(86_400 * 300))).get().asString()
                .contains("before its retention");
        assertThat(AuditChain.checkRows(purged, rows, year, T.plusSeconds(86_400 * 366))).get().asString()
                .contains("purged block");
        // the link still checks after a purge: the MAC does not cover purged_at
        assertThat(AuditChain.checkLink(purged, Optional.empty(), VERIFIES)).isEmpty();
    }
}
