package jp.otpgateway.gateway.idempotency.adapter.web;

import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every POST of a tenant's API accepts {@code Idempotency-Key} (IdempotencyFilter); the document
 * says so on each. The app's setup (/v1/provisioning) has no API key and so no idempotency: its
 * secret is never stored.
 */
@Configuration(proxyBeanMethods = false)
class IdempotencyOpenApi {

    static final String TENANT_PATHS = "/v1/tenants/";

    @Bean
    OpenApiCustomizer idempotencyKeyHeader() {
        return openApi -> openApi.getPaths().forEach((path, item) -> {
            if (path.startsWith(TENANT_PATHS) && item.getPost() != null) {
                item.getPost().addParametersItem(new HeaderParameter().name("Idempotency-Key").required(false)
                        .description("1–64 printable ASCII characters; a retry with the same key and body gets the "
                                + "first answer (Idempotent-Replayed: true) and changes nothing again; kept 24 h")
                        .schema(new StringSchema().maxLength(64)));
            }
        });
    }
}
