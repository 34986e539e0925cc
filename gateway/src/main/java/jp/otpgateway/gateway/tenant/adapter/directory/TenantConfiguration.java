package jp.otpgateway.gateway.tenant.adapter.directory;

import jp.otpgateway.gateway.config.OtpProperties;
import jp.otpgateway.gateway.tenant.application.TenantRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The tenants in force, read from the tenant directory and watched for changes. */
@Configuration(proxyBeanMethods = false)
class TenantConfiguration {

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
}
