package jp.otpgateway.gateway.custody.adapter.kek;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.Security;
import jp.otpgateway.gateway.OtpGatewayApplication;
import jp.otpgateway.gateway.config.OtpProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The KEK in a real PKCS#11 token: SoftHSM2, made by deploy/test.sh (deploy/softhsm.sh) with the
 * settings it exports. Wrapping happens inside the token, the key cannot be read out of it, and a
 * missing library, token, PIN or key stops the gateway at start with what to do.
 */
class Pkcs11KekIT {

    static final String LIBRARY = env("OTP_CRYPTO_PKCS11_LIBRARY", "/usr/lib/softhsm/libsofthsm2.so");
    static final String SLOT = System.getenv("OTP_CRYPTO_PKCS11_SLOT");
    static final String PIN = env("OTP_CRYPTO_PKCS11_PIN", "otp-test-pin");
    static final String LABEL = "otp-test-kek";

    static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    static OtpProperties.Pkcs11 hsm(String library, String pin, String label) {
        return new OtpProperties.Pkcs11(Path.of(library), SLOT == null ? null : Long.parseLong(SLOT), 0, pin, null, label);
    }

    @Test
    void aDataKeyIsWrappedInsideTheTokenAndUnwrapsOnlyWithItsAssociatedData() {
        Pkcs11Kek kek = Pkcs11Kek.open(hsm(LIBRARY, PIN, LABEL));
        assertThat(kek.label()).isEqualTo("pkcs11:" + LABEL);
        byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        byte[] ad = "otp-data-key\0it-alpha\01".getBytes(StandardCharsets.UTF_8);
        byte[] wrapped = kek.wrap(key, ad);
        assertThat(wrapped).hasSize(Pkcs11Kek.IV_BYTES + key.length + 16);
        assertThat(new String(wrapped, StandardCharsets.ISO_8859_1)).doesNotContain("0123456789abcdef");
        assertThat(kek.unwrap(wrapped, ad)).isEqualTo(key);
        assertThat(kek.wrap(key, ad)).isNotEqualTo(wrapped); // a fresh IV each time
        assertThatThrownBy(() -> kek.unwrap(wrapped, "otp-data-key\0it-beta\01".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SecurityException.class);
        wrapped[wrapped.length - 1] ^= 1;
        assertThatThrownBy(() -> kek.unwrap(wrapped, ad)).isInstanceOf(SecurityException.class);
    }

    @Test
    void theKeyCannotBeReadOutOfTheToken() throws Exception {
        String where = SLOT == null ? "slotListIndex=0" : "slot=" + SLOT;
        var provider = Security.getProvider("SunPKCS11").configure("--name=probe\nlibrary=" + LIBRARY + "\n" + where + "\n");
        KeyStore store = KeyStore.getInstance("PKCS11", provider);
        store.load(null, PIN.toCharArray());
        Key key = store.getKey(LABEL, null);
        assertThat(key.getAlgorithm()).isEqualTo("AES");
        assertThat(key.getEncoded()).isNull();
        assertThat(key.toString()).contains("sensitive", "unextractable");
    }

    @Test
    void aMissingLibraryPinOrKeyIsRefusedSayingWhatToDo() {
        assertThatThrownBy(() -> Pkcs11Kek.open(hsm("/nonexistent/libpkcs11.so", PIN, LABEL)))
                .hasMessageContaining("PKCS#11 library /nonexistent/libpkcs11.so not found");
        assertThatThrownBy(() -> Pkcs11Kek.open(hsm(LIBRARY, PIN, "absent-kek")))
                .hasMessageContaining("holds no AES key labelled absent-kek");
        assertThatThrownBy(() -> Pkcs11Kek.open(new OtpProperties.Pkcs11(Path.of(LIBRARY), 987654L, 0, PIN, null, LABEL)))
                .hasMessageContaining("cannot be opened");
    }

    /** Runs {@code main} in a JVM of its own with the tests' classpath; its output, once it exited refusing (3). */
    static String aloneRefuses(Class<?> main) throws Exception {
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName())
                .redirectErrorStream(true).start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor()).as(out).isEqualTo(3);
        return out;
    }

    /**
     * In a JVM of its own: a PKCS#11 login holds for the whole process, so once another test of this
     * JVM logged in, any PIN would pass.
     */
    @Test
    void aWrongPinIsRefusedAndNotRepeated() throws Exception {
        assertThat(aloneRefuses(WrongPin.class)).contains("refused the login").doesNotContain("wrong-pin-0815");
    }

    /** Opens the KEK with a wrong PIN; exit status 3 when refused, printing only the message. */
    public static final class WrongPin {
        public static void main(String[] args) {
            try {
                Pkcs11Kek.open(hsm(LIBRARY, "wrong-pin-0815", LABEL));
                System.exit(1);
            } catch (IllegalStateException refused) {
                System.out.println(refused.getMessage());
                System.exit(3);
            }
        }
    }

    /**
     * A whole gateway start, in a JVM of its own: a start that fails closes its context, and the
     * shared Reactor Netty resources with it, under the other tests' feet.
     */
    @Test
    void theGatewayDoesNotStartWithoutItsKek() throws Exception {
        assertThat(aloneRefuses(StartWithoutKek.class)).contains("REFUSED: ").contains("holds no AES key labelled absent-kek");
    }

    /** Starts the gateway with a key label the token does not hold; exit status 3 when it refuses. */
    public static final class StartWithoutKek {
        public static void main(String[] args) {
            try {
                // Arguments, not default properties: deploy/test.sh's OTP_CRYPTO_PKCS11_* would win over those.
                new SpringApplicationBuilder(OtpGatewayApplication.class).profiles("test")
                        .run("--server.port=0", "--otp.crypto.pkcs11.key-label=absent-kek").close();
                System.exit(1);
            } catch (RuntimeException refused) {
                Throwable root = refused;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                System.out.println("REFUSED: " + root.getMessage());
                System.exit(3);
            }
        }
    }
}
