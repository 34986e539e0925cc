package jp.otpgateway.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import jp.otpgateway.gateway.custody.adapter.tink.TinkSeedVault;
import jp.otpgateway.gateway.config.SecureRandomDefaults;
import jp.otpgateway.gateway.verification.domain.Totp;
import jp.otpgateway.gateway.verification.domain.TotpParameters;
import jp.otpgateway.gateway.provisioning.domain.Base32;
import jp.otpgateway.tenant.model.HashAlgorithm;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class OtpGatewayApplication {

    public static void main(String[] args) throws Exception {
        SecureRandomDefaults.preferDrbg(); // before anything loads the JDK's SUN provider
        if (args.length == 2 && args[0].equals("generate-seed-keyset")) {
            // One-off operator command: a new AES-256-GCM keyset file for OTP_CRYPTO_SEED_KEYSET_FILE.
            TinkSeedVault.writeNewKeyset(Path.of(args[1]));
            return;
        }
        if (args.length == 2 && args[0].equals("generate-audit-keyset")) {
            // One-off operator command: a new HMAC-SHA256 keyset for OTP_CRYPTO_AUDIT_KEYSET_FILE.
            jp.otpgateway.gateway.custody.adapter.tink.TinkAuditMacs.writeNewKeyset(Path.of(args[1]));
            return;
        }
        if ((args.length == 2 || args.length == 3) && args[0].equals("totp")) {
            // Development aid: the code a test token with this seed shows now (8 digits, 60 s, SHA1),
            // i.e. what the key-fob would display; with a third argument N, what a key-fob whose
            // clock runs N steps fast (negative: slow) displays. Prints only the code, never the seed.
            byte[] seed = HexFormat.of().parseHex(args[1]);
            long fast = args.length == 3 ? Long.parseLong(args[2]) : 0;
            System.out.println(Totp.codeAt(seed, new TotpParameters(HashAlgorithm.SHA1, 8, Duration.ofSeconds(60), 0),
                    Instant.now().plusSeconds(60 * fast)));
            return;
        }
        if (args.length == 2 && args[0].equals("totp-base32")) {
            // Development aid: what an authenticator app shows now for the Base32 secret that
            // POST /v1/provisioning handed out (8 digits, 60 s, SHA1). Prints only the code.
            System.out.println(Totp.codeAt(Base32.decode(args[1]),
                    new TotpParameters(HashAlgorithm.SHA1, 8, Duration.ofSeconds(60), 0), Instant.now()));
            return;
        }
        SpringApplication.run(OtpGatewayApplication.class, args);
    }
}
