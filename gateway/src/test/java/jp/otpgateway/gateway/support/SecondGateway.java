package jp.otpgateway.gateway.support;

import jp.otpgateway.gateway.OtpGatewayApplication;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Another gateway started inside the suite's JVM (a second instance, a differently configured
 * one). Its Reactor Netty resources are its own, as Spring's test support makes them for the
 * suite's contexts: with the shared global ones, closing it would shut down the event loops that
 * the other contexts' database and HTTP connections run on (a CI run saw a request hang 30 s).
 */
public final class SecondGateway {

    private SecondGateway() {
    }

    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(OtpGatewayApplication.class)
                .initializers(SecondGateway::ownNettyResources);
    }

    private static void ownNettyResources(ConfigurableApplicationContext context) {
        context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof ReactorResourceFactory factory) {
                    factory.setUseGlobalResources(false);
                }
                return bean;
            }
        });
    }
}
