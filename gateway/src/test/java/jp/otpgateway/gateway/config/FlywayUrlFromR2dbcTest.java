package jp.otpgateway.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlywayUrlFromR2dbcTest {

    @ParameterizedTest
    @CsvSource({
        "r2dbc:postgresql://localhost:5432/otp,                 jdbc:postgresql://localhost:5432/otp",
        "r2dbc:pool:postgresql://db.internal:6432/otp,          jdbc:postgresql://db.internal:6432/otp",
        "r2dbcs:postgresql://db/otp?sslMode=require,            jdbc:postgresql://db/otp",
    })
    void jdbcUrlIsDerivedFromTheR2dbcUrl(String r2dbc, String jdbc) {
        assertThat(FlywayUrlFromR2dbc.jdbcUrl(r2dbc)).isEqualTo(jdbc);
    }
}
