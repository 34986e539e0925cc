package jp.otpgateway.gateway.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.time.Clock;
import jp.otpgateway.gateway.adapter.web.BodySizeLimitFilter;
import jp.otpgateway.gateway.adapter.web.ProvisioningController;
import jp.otpgateway.gateway.tenant.TenantConfigHealthIndicator;
import jp.otpgateway.gateway.tenant.TenantDirectoryWatcher;
import jp.otpgateway.gateway.tenant.TenantRegistry;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.web.bind.annotation.PostMapping;

/** Scheduling: housekeeping jobs such as the idempotency purge (reactive @Scheduled methods). */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class GatewayConfiguration {

    /** Time is injected everywhere (conventions: Reactive); tests replace it. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    TenantRegistry tenantRegistry() {
        return new TenantRegistry();
    }

    @Bean
    TenantDirectoryWatcher tenantDirectoryWatcher(OtpProperties properties, TenantRegistry registry) {
        return new TenantDirectoryWatcher(properties.tenants().dir(), properties.tenants().rescanInterval(), registry);
    }

    @Bean
    TenantConfigHealthIndicator tenantConfigHealthIndicator(TenantRegistry registry) {
        return new TenantConfigHealthIndicator(registry);
    }

    @Bean
    BodySizeLimitFilter bodySizeLimitFilter(OtpProperties properties) {
        return new BodySizeLimitFilter(properties.http().maxBodySize().toBytes(), properties.http().maxImportSize().toBytes());
    }

    /** Chunked bodies have no Content-Length: the decoders enforce the same limit while reading. */
    @Bean
    CodecCustomizer bodySizeLimitCodecCustomizer(OtpProperties properties) {
        int max = Math.toIntExact(properties.http().maxBodySize().toBytes());
        return configurer -> configurer.defaultCodecs().maxInMemorySize(max);
    }

    /**
     * Every POST of a tenant's API accepts {@code Idempotency-Key} (IdempotencyFilter); the document
     * says so on each. The app's setup has no API key and so no idempotency: its secret is never stored.
     */
    @Bean
    OperationCustomizer idempotencyKeyHeader() {
        return (operation, handler) -> {
            if (handler.hasMethodAnnotation(PostMapping.class)
                    && handler.getBeanType() != ProvisioningController.class) {
                operation.addParametersItem(new HeaderParameter().name("Idempotency-Key").required(false)
                        .description("1–64 printable ASCII characters; a retry with the same key and body gets the "
                                + "first answer (Idempotent-Replayed: true) and changes nothing again; kept 24 h")
                        .schema(new StringSchema().maxLength(64)));
            }
            return operation;
        };
    }

    @Bean
    OpenAPI otpGatewayOpenApi() {
        return new OpenAPI()
                .info(new Info().title("OTP gateway for credit unions (信用組合)").version("v1")
                        .description("One-time passwords for the internet banking of many credit unions. "
                                + "Errors are RFC 9457 problems with a stable `code` and a Japanese `message`."))
                .components(new Components().addSecuritySchemes("apiKey",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("API key of the tenant (portal or operator role)")))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }
}
