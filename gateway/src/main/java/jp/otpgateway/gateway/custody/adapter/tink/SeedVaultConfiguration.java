package jp.otpgateway.gateway.custody.adapter.tink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import jp.otpgateway.gateway.audit.application.port.AuditMacs;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import jp.otpgateway.gateway.custody.adapter.kek.FileKek;
import jp.otpgateway.gateway.custody.application.ManagingDataKeys;
import jp.otpgateway.gateway.custody.adapter.kek.Kek;
import jp.otpgateway.gateway.custody.adapter.kek.Pkcs11Kek;
import jp.otpgateway.gateway.config.OtpProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Key custody at start (docs/custody.md): the KEK from the HSM (otp.crypto.pkcs11.*) or, for
 * development only, from the seed keyset file; the legacy keyset file when one is configured. Without
 * a KEK the gateway does not start: seeds could be neither stored nor read, and an OTP service that
 * cannot verify must not pretend to be up.
 */
@Configuration(proxyBeanMethods = false)
public class SeedVaultConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SeedVaultConfiguration.class);

    static final String HOW_TO = "create one with `java -jar otp-gateway.jar generate-seed-keyset FILE` and set "
            + "OTP_CRYPTO_SEED_KEYSET_FILE to it";

    @Bean
    TenantSeedVault seedVault(OtpProperties properties, Clock clock) throws IOException, GeneralSecurityException {
        OtpProperties.Crypto crypto = properties.crypto();
        boolean hsm = crypto.pkcs11().library() != null;
        Optional<TinkSeedVault> file = hsm && crypto.seedKeysetFile() == null ? Optional.empty() : Optional.of(load(crypto));
        Kek kek;
        if (hsm) {
            kek = Pkcs11Kek.open(crypto.pkcs11());
            log.info("key custody: data keys wrapped by {} (PKCS#11 {}){}", kek.label(), crypto.pkcs11().library(),
                    file.isPresent() ? "; legacy seeds open with " + crypto.seedKeysetFile() + " until re-sealed" : "");
        } else {
            TinkSeedVault keyset = file.orElseThrow();
            kek = new FileKek(keyset.aead(), "file:" + crypto.seedKeysetFile().getFileName());
            log.warn("key custody: DEVELOPMENT KEK from the keyset file {}; production keeps the KEK in an HSM "
                    + "(otp.crypto.pkcs11.*, docs/custody.md)", crypto.seedKeysetFile().toAbsolutePath());
        }
        return new TenantSeedVault(kek, file.map(TinkSeedVault::aead), file.map(TinkSeedVault::keyIds).orElse(Set.of()),
                clock, crypto.dataKeys().propagation());
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

    @Bean
    ManagingDataKeys.CustodySettings custodySettings(OtpProperties properties) {
        OtpProperties.DataKeys keys = properties.crypto().dataKeys();
        return new ManagingDataKeys.CustodySettings(keys.propagation(), keys.destructionConfirmation());
    }

    static TinkSeedVault load(OtpProperties.Crypto crypto) throws IOException, GeneralSecurityException {
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
