package jp.otpgateway.gateway;

import java.nio.file.Path;
import jp.otpgateway.gateway.adapter.crypto.TinkSeedVault;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class OtpGatewayApplication {

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("generate-seed-keyset")) {
            // One-off operator command: a new AES-256-GCM keyset file for OTP_CRYPTO_SEED_KEYSET_FILE.
            TinkSeedVault.writeNewKeyset(Path.of(args[1]));
            return;
        }
        SpringApplication.run(OtpGatewayApplication.class, args);
    }
}
