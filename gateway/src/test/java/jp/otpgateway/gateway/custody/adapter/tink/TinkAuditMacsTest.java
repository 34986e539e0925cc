package jp.otpgateway.gateway.custody.adapter.tink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinkAuditMacsTest {

    @Test
    void aMacChecksOnlyForItsDataAndItsKeyset(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.json");
        TinkAuditMacs.writeNewKeyset(file);
        TinkAuditMacs macs = TinkAuditMacs.fromKeysetJson(Files.readString(file));
        byte[] data = "block 1".getBytes(StandardCharsets.UTF_8);
        byte[] tag = macs.mac(data);
        assertThat(macs.verify(tag, data)).isTrue();
        assertThat(macs.verify(tag, "block 2".getBytes(StandardCharsets.UTF_8))).isFalse();

        Path other = dir.resolve("other.json");
        TinkAuditMacs.writeNewKeyset(other);
        assertThat(TinkAuditMacs.fromKeysetJson(Files.readString(other)).verify(tag, data)).isFalse();
        assertThat(TinkAuditMacs.fromKeysetJson(Files.readString(file)).verify(tag, data)).isTrue(); // reloaded
    }

    @Test
    void aKeysetIsNeverOverwritten(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.json");
        TinkAuditMacs.writeNewKeyset(file);
        String before = Files.readString(file);
        assertThatThrownBy(() -> TinkAuditMacs.writeNewKeyset(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("never overwritten");
        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
