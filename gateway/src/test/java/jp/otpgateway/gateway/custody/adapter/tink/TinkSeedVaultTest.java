package jp.otpgateway.gateway.custody.adapter.tink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import jp.otpgateway.gateway.config.OtpProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinkSeedVaultTest {

    static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    TinkSeedVault vault;

    @BeforeEach
    void keyset() throws Exception {
        vault = TinkSeedVault.fromKeysetJson(TinkSeedVault.newKeysetJson());
    }

    @Test
    void sealedSeedOpensForItsTenantAndSerial() {
        byte[] sealed = vault.seal("sakura-shinkumi", "101199980021", SEED);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(new String(SEED, StandardCharsets.ISO_8859_1));
        assertThat(vault.open("sakura-shinkumi", "101199980021", sealed)).isEqualTo(SEED);
    }

    @Test
    void sealedSeedDoesNotOpenForAnotherSerialOrTenant() {
        byte[] sealed = vault.seal("sakura-shinkumi", "101199980021", SEED);
        assertThatThrownBy(() -> vault.open("sakura-shinkumi", "101199980022", sealed)).isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> vault.open("kaede-shinkumi", "101199980021", sealed)).isInstanceOf(SecurityException.class);
    }

    @Test
    void tenantAndSerialCannotBeShiftedIntoEachOther() {
        byte[] sealed = vault.seal("ab", "12345678", SEED);
        assertThatThrownBy(() -> vault.open("ab1", "2345678", sealed)).isInstanceOf(SecurityException.class);
    }

    @Test
    void alteredCiphertextDoesNotOpen() {
        byte[] sealed = vault.seal("t1", "12345678", SEED);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> vault.open("t1", "12345678", sealed)).isInstanceOf(SecurityException.class)
                .hasMessageNotContaining("1234567890");
    }

    @Test
    void anotherKeysetCannotOpenTheSeed() throws Exception {
        byte[] sealed = vault.seal("t1", "12345678", SEED);
        TinkSeedVault other = TinkSeedVault.fromKeysetJson(TinkSeedVault.newKeysetJson());
        assertThatThrownBy(() -> other.open("t1", "12345678", sealed)).isInstanceOf(SecurityException.class);
    }

    @Test
    void productionStartWithoutAKeysetFailsClearly() {
        assertThatThrownBy(() -> SeedVaultConfiguration.load(OtpProperties.Crypto.ofFiles(null, false, null)))
                .hasMessageContaining("no seed keyset configured").hasMessageContaining("generate-seed-keyset");
        assertThatThrownBy(() -> SeedVaultConfiguration.load(OtpProperties.Crypto.ofFiles(dir.resolve("absent.json"), false, null)))
                .hasMessageContaining("does not exist");
    }

    @Test
    void developmentKeysetIsGeneratedOnceOwnerReadableAndReused() throws Exception {
        Path file = dir.resolve("dev/keyset.json");
        TinkSeedVault first = SeedVaultConfiguration.load(OtpProperties.Crypto.ofFiles(file, true, null));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        byte[] sealed = first.seal("t1", "12345678", SEED);
        TinkSeedVault again = SeedVaultConfiguration.load(OtpProperties.Crypto.ofFiles(file, true, null));
        assertThat(again.open("t1", "12345678", sealed)).isEqualTo(SEED);
    }

    @Test
    void anExistingKeysetIsNeverOverwritten() throws Exception {
        Path file = dir.resolve("keyset.json");
        TinkSeedVault.writeNewKeyset(file);
        String before = Files.readString(file);
        assertThatThrownBy(() -> TinkSeedVault.writeNewKeyset(file)).hasMessageContaining("never overwritten");
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void garbageKeysetFileFailsClearly() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.json"), "{\"not\": \"a keyset\"}");
        assertThatThrownBy(() -> SeedVaultConfiguration.load(OtpProperties.Crypto.ofFiles(file, false, null)))
                .hasMessageContaining("is not a valid Tink AEAD keyset");
    }
}
