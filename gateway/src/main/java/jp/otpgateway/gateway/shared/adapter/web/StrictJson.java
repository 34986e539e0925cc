package jp.otpgateway.gateway.shared.adapter.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Every request body is read by this one mapper (the WebFlux JSON codec), so the JSON rules of the
 * API live here. A portal, a WAF and the gateway must read one body the same way (no parser
 * differential, ASVS 13.2.2):
 * <ul>
 *   <li>a body with a key twice ({@code {"otp":"1","otp":"2"}}) is refused, never "the last one wins";</li>
 *   <li>a text field (codes, serials, IDs, passwords, names) takes a JSON string only: a number
 *       would lose its leading zeros ({@code 01234567} → 7 digits), a boolean means nothing;</li>
 *   <li>numbers and booleans are not read from strings or from each other, and a fraction is never
 *       cut to an integer; nothing may follow the body.</li>
 * </ul>
 * Each failure is 400 VALIDATION_FAILED and reaches no use case (ApiExceptionHandler).
 */
@Configuration(proxyBeanMethods = false)
public class StrictJson {

    @Bean
    JsonMapperBuilderCustomizer strictRequestBodies() {
        return StrictJson::apply;
    }

    static void apply(JsonMapper.Builder builder) {
        builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Enum, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail));
    }
}
