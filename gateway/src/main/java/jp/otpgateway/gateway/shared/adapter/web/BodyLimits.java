package jp.otpgateway.gateway.shared.adapter.web;

import jp.otpgateway.gateway.config.OtpProperties;
import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Request bodies over otp.http.max-body-size (imports: max-import-size) are refused with 413. */
@Configuration(proxyBeanMethods = false)
class BodyLimits {

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
}
