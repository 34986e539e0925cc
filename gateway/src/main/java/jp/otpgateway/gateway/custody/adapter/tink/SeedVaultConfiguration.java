package jp.otpgateway.gateway.custody.adapter.tink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import jp.otpgateway.gateway.custody.application.port.AuditMacs;
import jp.otpgateway.gateway.custody.application.port.SeedVault;
import jp.otpgateway.gateway.config.OtpProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Loads the seed keyset at start. Without one the gateway does not start: seeds could be neither
 * stored nor read, and an OTP service that cannot verify must not pretend to be up.
 */
@Configuration(proxyBeanMethods = false)
public class SeedVaultConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SeedVaultConfiguration.class);

    static final String HOW_TO = "create one with `java -jar otp-gateway.jar generate-seed-keyset FILE` and set "
            + "OTP_CRYPTO_SEED_KEYSET_FILE to it";

    @Bean
    SeedVault seedVault(OtpProperties properties) throws IOException, GeneralSecurityException {
        return load(properties.crypto());
    }

    /**
     * The audit seal's keyset: {@code otp.crypto.audit-keyset-file}, by default beside the seed
     * keyset ({@code <seed keyset>.audit-mac.json}), kept and backed up the same way.
     */
    @Bean
    AuditMacs auditMacs(OtpProperties properties) throws IOException, GeneralSecurityException {
        OtpProperties.Crypto crypto = properties.crypto();
        Path file = crypto.auditKeysetFile() != null ? crypto.auditKeysetFile()
                : crypto.seedKeysetFile() == null ? null
                : crypto.seedKeysetFile().resolveSibling(crypto.seedKeysetFile().getFileName() + ".audit-mac.json");
        if (file == null) {
            throw new IllegalStateException("no audit keyset configured (otp.crypto.audit-keyset-file)");
        }
        if (!Files.exists(file)) {
            if (!crypto.generateDevelopmentKeyset()) {
                throw new IllegalStateException("audit keyset " + file.toAbsolutePath() + " does not exist; create one with "
                        + "`java -jar otp-gateway.jar generate-audit-keyset FILE` and set OTP_CRYPTO_AUDIT_KEYSET_FILE");
            }
            TinkAuditMacs.writeNewKeyset(file);
            log.warn("generated a DEVELOPMENT audit keyset at {}; never use it in production", file.toAbsolutePath());
        }
        try {
            return TinkAuditMacs.fromKeysetJson(Files.readString(file));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("audit keyset " + file.toAbsolutePath() + " is not a valid Tink MAC keyset", e);
        }
    }

    static SeedVault load(OtpProperties.Crypto crypto) throws IOException, GeneralSecurityException {
        Path file = crypto.seedKeysetFile();
        if (file == null) {
            throw new IllegalStateException("no seed keyset configured (otp.crypto.seed-keyset-file); " + HOW_TO);
        }
        if (!Files.exists(file)) {
            if (!crypto.generateDevelopmentKeyset()) {
                throw new IllegalStateException("seed keyset " + file.toAbsolutePath() + " does not exist; " + HOW_TO);
            }
            TinkSeedVault.writeNewKeyset(file);
            log.warn("generated a DEVELOPMENT seed keyset at {}; never use it in production", file.toAbsolutePath());
        }
        try {
            return TinkSeedVault.fromKeysetJson(Files.readString(file));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("seed keyset " + file.toAbsolutePath() + " is not a valid Tink AEAD keyset", e);
        }
    }
}
