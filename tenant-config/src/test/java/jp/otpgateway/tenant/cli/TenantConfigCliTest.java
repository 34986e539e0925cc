package jp.otpgateway.tenant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantConfigCliTest {

    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return TenantConfigCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void samplesValidateWithExitZero() {
        assertThat(run("validate", "tenants")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("sakura-shinkumi.yaml: OK");
        assertThat(err()).isEmpty();
    }

    @Test
    void invalidFilePrintsEveryProblemAndExitsOne() throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), "id: bad\nname: x\notp: {digits: 7}\nlimitz: 1\n");
        assertThat(run("validate", dir.toString())).isEqualTo(1);
        assertThat(err()).contains(dir.resolve("bad.yaml") + ":3: otp.digits: 7 is not valid; expected 6 or 8")
                .contains(dir.resolve("bad.yaml") + ":4: limitz: unknown key")
                .contains(": clients: is required");
    }

    @Test
    void oneInvalidFileAmongValidOnesStillExitsOne() throws Exception {
        Files.copy(Path.of("tenants/aoba-shinkumi.yaml"), dir.resolve("aoba-shinkumi.yaml"));
        Files.writeString(dir.resolve("x1.yaml"), "id: x1\n");
        assertThat(run("validate", dir.toString())).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("aoba-shinkumi.yaml: OK");
    }

    @Test
    void singleFileCanBeValidated() {
        assertThat(run("validate", "tenants/kaede-shinkumi.yaml")).isZero();
    }

    @Test
    void missingDirectoryExitsOne() {
        assertThat(run("validate", dir.resolve("nope").toString())).isEqualTo(1);
        assertThat(err()).contains("no such file or directory");
    }

    @Test
    void directoryWithoutTenantFilesExitsOne() {
        assertThat(run("validate", dir.toString())).isEqualTo(1);
        assertThat(err()).contains("no tenant files");
    }

    @Test
    void wrongUsageExitsOneWithUsage() {
        assertThat(run("check")).isEqualTo(1);
        assertThat(err()).startsWith("usage:");
    }
}
