package jp.otpgateway.tenant.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantDirectoryTest {

    @TempDir
    Path dir;

    static String tenant(String id) {
        return TenantConfigLoaderTest.MINIMAL.replace("id: t1", "id: " + id);
    }

    @Test
    void readsYamlAndYmlFilesAndIgnoresOthers() throws Exception {
        Files.writeString(dir.resolve("aa.yaml"), tenant("aa"));
        Files.writeString(dir.resolve("bb.yml"), tenant("bb"));
        Files.writeString(dir.resolve("README.txt"), "not a tenant");
        Files.writeString(dir.resolve(".cc.yaml.swp"), "editor file");
        assertThat(new TenantDirectory().scan(dir).valid()).containsOnlyKeys("aa", "bb");
    }

    @Test
    void sameTenantInTwoFilesIsRejectedOnce() throws Exception {
        Files.writeString(dir.resolve("aa.yaml"), tenant("aa"));
        Files.writeString(dir.resolve("aa.yml"), tenant("aa"));
        TenantDirectory.Scan scan = new TenantDirectory().scan(dir);
        assertThat(scan.valid()).containsOnlyKeys("aa");
        assertThat(scan.problems()).singleElement().asString().contains("aa.yml:1: id: tenant 'aa' is already defined by aa.yaml");
    }

    @Test
    void fileThatIsNotUtf8IsRejected() throws Exception {
        Files.write(dir.resolve("aa.yaml"), new byte[] {'i', 'd', ':', ' ', (byte) 0xff, '\n'});
        assertThat(new TenantDirectory().scan(dir).problems()).singleElement().asString().contains("not valid UTF-8");
    }
}
