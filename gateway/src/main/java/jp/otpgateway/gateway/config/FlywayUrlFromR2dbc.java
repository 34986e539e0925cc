package jp.otpgateway.gateway.config;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Flyway migrates over JDBC (the only JDBC use); the service itself uses R2DBC. So that operators
 * set the database once ({@code SPRING_R2DBC_URL}, {@code _USERNAME}, {@code _PASSWORD}), the Flyway
 * URL and credentials are derived from the R2DBC ones unless {@code spring.flyway.*} is set.
 */
public class FlywayUrlFromR2dbc implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        String r2dbc = env.getProperty("spring.r2dbc.url");
        if (r2dbc == null) {
            return;
        }
        Map<String, Object> derived = new HashMap<>();
        if (env.getProperty("spring.flyway.url") == null) {
            derived.put("spring.flyway.url", jdbcUrl(r2dbc));
        }
        copyIfAbsent(env, derived, "spring.r2dbc.username", "spring.flyway.user");
        copyIfAbsent(env, derived, "spring.r2dbc.password", "spring.flyway.password");
        env.getPropertySources().addLast(new MapPropertySource("flywayFromR2dbc", derived));
    }

    /** {@code r2dbc:[pool:]postgresql://host:port/db?opts} → {@code jdbc:postgresql://host:port/db}. */
    static String jdbcUrl(String r2dbcUrl) {
        String url = r2dbcUrl.replaceFirst("^r2dbcs?:(pool:)?", "");
        int query = url.indexOf('?');
        return "jdbc:" + (query < 0 ? url : url.substring(0, query));
    }

    private static void copyIfAbsent(ConfigurableEnvironment env, Map<String, Object> derived, String from, String to) {
        String value = env.getProperty(from);
        if (value != null && env.getProperty(to) == null) {
            derived.put(to, value);
        }
    }
}
