package jp.otpgateway.gateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The PSKC files in src/test/resources/pskc (made by python-pskc 1.4, see its README) and their
 * sidecars: keys, passwords, seeds and the code each key shows at the sidecar's check time.
 */
public final class PskcFixtures {

    private PskcFixtures() {
    }

    public static byte[] file(String name) {
        try (InputStream in = PskcFixtures.class.getResourceAsStream("/pskc/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture pskc/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode sidecar(String stem) {
        return JsonMapper.builder().build().readTree(new String(file(stem + ".json"), StandardCharsets.UTF_8));
    }
}
