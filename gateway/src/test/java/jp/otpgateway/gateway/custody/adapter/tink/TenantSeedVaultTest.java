package jp.otpgateway.gateway.custody.adapter.tink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import jp.otpgateway.gateway.custody.adapter.kek.FileKek;
import jp.otpgateway.gateway.custody.application.port.SeedKeys.WrappedKey;
import jp.otpgateway.gateway.custody.domain.KeyRing;
import jp.otpgateway.gateway.shared.domain.KeysDestroyed;
import jp.otpgateway.gateway.shared.domain.KeysUnavailable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TenantSeedVaultTest {

    static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    static final Duration PROPAGATION = Duration.ofSeconds(30);

    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T01:00:00Z"));
    final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    TinkSeedVault file;
    TenantSeedVault vault;
    WrappedKey sakura;
    WrappedKey kaede;

    @BeforeEach
    void vault() throws Exception {
        file = TinkSeedVault.fromKeysetJson(TinkSeedVault.newKeysetJson());
        vault = vaultWith(file);
        sakura = vault.newKey("sakura", Set.of(), KeyRing.firstKeyPrimaryFrom(), clock.instant());
        kaede = vault.newKey("kaede", Set.of(), KeyRing.firstKeyPrimaryFrom(), clock.instant());
        vault.install(Map.of("sakura", List.of(sakura), "kaede", List.of(kaede)), Set.of(), System.nanoTime());
    }

    TenantSeedVault vaultWith(TinkSeedVault kek) {
        return new TenantSeedVault(new FileKek(kek.aead(), "file:test"), Optional.of(file.aead()), file.keyIds(), clock,
                PROPAGATION);
    }

    @Test
    void aSeedIsSealedWithItsTenantsOwnKeyAndOpensOnlyForItsTenantAndSerial() {
        byte[] sealed = vault.seal("sakura", "101199980021", SEED);
        assertThat(KeyRing.keyIdOf(sealed)).isEqualTo(sakura.id());
        assertThat(Arrays.copyOf(sealed, 5)).isEqualTo(KeyRing.prefix(sakura.id()));
        assertThat(vault.open("sakura", "101199980021", sealed)).isEqualTo(SEED);
        assertThatThrownBy(() -> vault.open("sakura", "101199980022", sealed)).isInstanceOf(SecurityException.class);
        // Another tenant holds no such key: its seeds are not even tried with it.
        assertThatThrownBy(() -> vault.open("kaede", "101199980021", sealed)).isInstanceOf(KeysUnavailable.class);
        assertThat(KeyRing.keyIdOf(vault.seal("kaede", "101199980021", SEED))).isEqualTo(kaede.id());
    }

    @Test
    void theWrappedKeyIsNotTheKeyAndOpensOnlyForItsTenantAndId() {
        assertThat(sakura.wrapped()).isNotEmpty();
        assertThat(sakura.kek()).isEqualTo("file:test");
        WrappedKey moved = new WrappedKey("kaede", sakura.id(), sakura.wrapped(), sakura.kek(), sakura.primaryFrom(),
                sakura.createdAt());
        byte[] before = vault.seal("kaede", "12345678", SEED);
        assertThatThrownBy(() -> vault.install(Map.of("kaede", List.of(moved)), Set.of(), System.nanoTime()))
                .hasMessageContaining("does not unwrap");
        // A failed install leaves the keys in memory as they were.
        assertThat(vault.open("kaede", "12345678", before)).isEqualTo(SEED);
    }

    @Test
    void keysWrappedByAnotherKekRefuseToInstallSayingWhichKekWrappedThem() throws Exception {
        TenantSeedVault other = vaultWith(TinkSeedVault.fromKeysetJson(TinkSeedVault.newKeysetJson()));
        assertThatThrownBy(() -> other.install(Map.of("sakura", List.of(sakura)), Set.of(), System.nanoTime()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("data key " + sakura.id() + " of tenant sakura was wrapped by file:test");
    }

    @Test
    void aRotatedKeySealsFromItsTimeOnAndTheOldKeyStillOpensUntilRemoved() {
        byte[] old = vault.seal("sakura", "12345678", SEED);
        Instant from = KeyRing.rotatedKeyPrimaryFrom(clock.instant(), PROPAGATION);
        WrappedKey rotated = vault.newKey("sakura", Set.of(sakura.id()), from, clock.instant());
        assertThat(rotated.id()).isNotEqualTo(sakura.id());
        vault.install(Map.of("sakura", List.of(sakura, rotated)), Set.of(), System.nanoTime());
        assertThat(KeyRing.keyIdOf(vault.seal("sakura", "12345678", SEED))).isEqualTo(sakura.id());
        now.set(from);
        byte[] fresh = vault.seal("sakura", "12345678", SEED);
        assertThat(KeyRing.keyIdOf(fresh)).isEqualTo(rotated.id());
        assertThat(vault.open("sakura", "12345678", old)).isEqualTo(SEED);

        byte[] resealed = vault.reseal("sakura", "12345678", old, rotated.id());
        assertThat(KeyRing.keyIdOf(resealed)).isEqualTo(rotated.id());
        assertThat(vault.open("sakura", "12345678", resealed)).isEqualTo(SEED);
        assertThat(vault.reseal("sakura", "12345678", resealed, rotated.id())).isSameAs(resealed);

        vault.install(Map.of("sakura", List.of(rotated)), Set.of(), System.nanoTime());
        assertThatThrownBy(() -> vault.open("sakura", "12345678", old)).isInstanceOf(KeysUnavailable.class)
                .hasMessageContaining("does not hold");
        assertThat(vault.open("sakura", "12345678", resealed)).isEqualTo(SEED);
    }

    @Test
    void legacySeedsOpenWithTheLegacyKeysetAndAreResealedToTheTenantsKey() {
        byte[] legacy = file.seal("sakura", "12345678", SEED);
        assertThat(file.keyIds()).contains(KeyRing.keyIdOf(legacy));
        assertThat(vault.open("sakura", "12345678", legacy)).isEqualTo(SEED);
        byte[] resealed = vault.reseal("sakura", "12345678", legacy, sakura.id());
        assertThat(KeyRing.keyIdOf(resealed)).isEqualTo(sakura.id());
        assertThat(vault.open("sakura", "12345678", resealed)).isEqualTo(SEED);
        assertThat(vault.legacyKeyIds()).isEqualTo(file.keyIds());
    }

    @Test
    void nothingIsSealedWithKeysReadTooLongAgoOrBeforeAnyRead() {
        TenantSeedVault never = vaultWith(file);
        assertThatThrownBy(() -> never.seal("sakura", "12345678", SEED)).isInstanceOf(KeysUnavailable.class)
                .hasMessageContaining("never");
        long longAgo = System.nanoTime() - Duration.ofSeconds(16).toNanos();
        vault.install(Map.of("sakura", List.of(sakura)), Set.of(), longAgo);
        assertThatThrownBy(() -> vault.seal("sakura", "12345678", SEED)).isInstanceOf(KeysUnavailable.class);
        assertThatThrownBy(() -> vault.seal("nobody", "12345678", SEED)).isInstanceOf(KeysUnavailable.class);
    }

    @Test
    void aShreddedTenantsSeedsNeverOpenAgainNorIsAnythingSealedForIt() {
        byte[] sealed = vault.seal("kaede", "12345678", SEED);
        vault.install(Map.of("sakura", List.of(sakura)), Set.of("kaede"), System.nanoTime());
        assertThatThrownBy(() -> vault.open("kaede", "12345678", sealed)).isInstanceOf(KeysDestroyed.class);
        assertThatThrownBy(() -> vault.seal("kaede", "12345678", SEED)).isInstanceOf(KeysDestroyed.class);
        assertThatThrownBy(() -> vault.reseal("kaede", "12345678", sealed, kaede.id())).isInstanceOf(KeysDestroyed.class);
        assertThat(vault.open("sakura", "1", vault.seal("sakura", "1", SEED))).isEqualTo(SEED);
    }
}
