package jp.otpgateway.gateway.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The clock, scheduling (housekeeping jobs such as the idempotency purge) and the OpenAPI document's head. */
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
