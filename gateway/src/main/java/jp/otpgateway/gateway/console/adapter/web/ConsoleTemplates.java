package jp.otpgateway.gateway.console.adapter.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.thymeleaf.IEngineConfiguration;
import org.thymeleaf.cache.AlwaysValidCacheEntryValidity;
import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ITemplateResolver;
import org.thymeleaf.templateresolver.TemplateResolution;
import org.thymeleaf.templateresource.StringTemplateResource;

/**
 * The console's templates are read once, at start, on the starting thread; pages are then rendered
 * from memory, so that no request's event-loop thread ever reads a file (BlockHound fails any test
 * where one does). The template engine is initialised at start for the same reason: it looks for
 * Jackson modules on the class path the first time it is used.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleTemplates {

    static final String LOCATION = "classpath:/templates/console/*.html";

    /** Templates {@code console/<name>} from memory, before Boot's resolver that reads the class path. */
    @Bean
    ITemplateResolver consoleTemplateResolver() {
        Map<String, String> templates = new HashMap<>();
        try {
            for (Resource r : new PathMatchingResourcePatternResolver().getResources(LOCATION)) {
                try (InputStream in = r.getInputStream()) {
                    String name = "console/" + r.getFilename().substring(0, r.getFilename().length() - ".html".length());
                    templates.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the console's templates cannot be read from " + LOCATION, e);
        }
        if (templates.isEmpty()) {
            throw new IllegalStateException("no console templates at " + LOCATION);
        }
        return new Preloaded(Map.copyOf(templates));
    }

    @Bean
    SmartInitializingSingleton consoleEngineWarmUp(ObjectProvider<ISpringWebFluxTemplateEngine> engine) {
        return () -> engine.ifAvailable(ISpringWebFluxTemplateEngine::getConfiguration);
    }

    record Preloaded(Map<String, String> templates) implements ITemplateResolver {

        @Override
        public String getName() {
            return "console templates (preloaded)";
        }

        @Override
        public Integer getOrder() {
            return Integer.MIN_VALUE; // before Boot's class-path resolver (whose order is unset)
        }

        @Override
        public TemplateResolution resolveTemplate(IEngineConfiguration configuration, String ownerTemplate, String template,
                                                  Map<String, Object> templateResolutionAttributes) {
            String text = templates.get(template);
            if (text == null) {
                return null;
            }
            return new TemplateResolution(new StringTemplateResource(text), TemplateMode.HTML,
                    AlwaysValidCacheEntryValidity.INSTANCE);
        }
    }
}
