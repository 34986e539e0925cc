package jp.otpgateway.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The gateway's own settings ({@code otp.*}); every one can be set by environment, e.g.
 * {@code OTP_TENANTS_DIR}, {@code OTP_HTTP_MAX_BODY_SIZE}.
 */
@ConfigurationProperties("otp")
public record OtpProperties(@DefaultValue Tenants tenants, @DefaultValue Http http) {

    /** Where tenant files live and how often the directory is rescanned besides file-system events. */
    public record Tenants(@DefaultValue("tenant-config/tenants") Path dir,
                          @DefaultValue("30s") Duration rescanInterval) {
    }

    /** Largest request body accepted (413 beyond). */
    public record Http(@DefaultValue("64KB") DataSize maxBodySize) {
    }
}
