package jp.otpgateway.gateway.onboarding.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import jp.otpgateway.tenant.model.HashAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenCsvTest {

    static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");
    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final String SEED = "3132333435363738393031323334353637383930";

    /** Fields as the CSV reader hands them over (quoting and line ends: CsvUploadsTest). */
    static List<String> fields(String line) {
        return List.of(line.split(",", -1));
    }

    DeliveredToken.Row row(String header, String line) {
        return TokenCsv.header(fields(header)).row(7, fields(line), NOW,
                new DeliveredToken.Defaults(Period.ofYears(5), TOKYO, HashAlgorithm.SHA1, 8, 60));
    }

    ImportedToken valid(String header, String line) {
        DeliveredToken.Row r = row(header, line);
        assertThat(r).isInstanceOf(DeliveredToken.Row.Valid.class);
        return ((DeliveredToken.Row.Valid) r).token();
    }

    ImportLineError invalid(String header, String line) {
        DeliveredToken.Row r = row(header, line);
        assertThat(r).isInstanceOf(DeliveredToken.Row.Invalid.class);
        return ((DeliveredToken.Row.Invalid) r).error();
    }

    @Test
    void documentedRowWithDefaults() {
        ImportedToken t = valid("serial,seed_hex,expires_at", "101199980021," + SEED + ",2031-03-31T23:59:59+09:00");
        assertThat(t.serial()).isEqualTo("101199980021");
        assertThat(t.seed()).hasSize(20);
        assertThat(t.algorithm()).isEqualTo(HashAlgorithm.SHA1);
        assertThat(t.digits()).isEqualTo(8);
        assertThat(t.periodSeconds()).isEqualTo(60);
        assertThat(t.expiresAt()).isEqualTo(Instant.parse("2031-03-31T14:59:59Z"));
    }

    @Test
    void missingColumnsTakeTheTenantsOtpSettingsNotFixedOnes() {
        DeliveredToken.Row r = TokenCsv.header(fields("serial,seed_hex,expires_at,digits")).row(7,
                fields("101199980021," + SEED + ",2031-03-31T23:59:59+09:00,"), NOW,
                new DeliveredToken.Defaults(Period.ofYears(5), TOKYO, HashAlgorithm.SHA256, 6, 30));
        ImportedToken t = ((DeliveredToken.Row.Valid) r).token();
        assertThat(t.algorithm()).isEqualTo(HashAlgorithm.SHA256);
        assertThat(t.digits()).isEqualTo(6);
        assertThat(t.periodSeconds()).isEqualTo(30);
    }

    @Test
    void optionalColumnsInAnyOrderWithBlanksAroundTechnicalValues() {
        ImportedToken t = valid("period, digits ,algorithm,serial,seed_hex,expires_at",
                "30,6,sha256,12345678, " + SEED + " ,2030-01-01T00:00:00Z");
        assertThat(t.algorithm()).isEqualTo(HashAlgorithm.SHA256);
        assertThat(t.digits()).isEqualTo(6);
        assertThat(t.periodSeconds()).isEqualTo(30);
    }

    @Test
    void emptyExpiryTakesTheTenantsValidityInItsZone() {
        assertThat(valid("serial,seed_hex,expires_at", "12345678," + SEED + ",").expiresAt())
                .isEqualTo(Instant.parse("2031-11-21T00:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "serial,seed                      | unknown column 'seed'",
        "serial,expires_at                | missing column 'seed_hex'",
        "serial,seed_hex,serial           | appears twice",
    })
    void wrongHeaderRejectsTheFile(String header, String message) {
        assertThatThrownBy(() -> TokenCsv.header(fields(header))).hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1234567,SEED,2031-01-01T00:00:00Z              | INVALID_SERIAL",
        "1234567890123,SEED,2031-01-01T00:00:00Z        | INVALID_SERIAL",
        "１２３４５６７８,SEED,2031-01-01T00:00:00Z        | INVALID_SERIAL",
        "12345678,abc,2031-01-01T00:00:00Z              | INVALID_SEED",
        "12345678,00112233445566778899aabbccddee,2031-01-01T00:00:00Z | INVALID_SEED",
        "12345678,zz12233445566778899aabbccddeeff00,2031-01-01T00:00:00Z | INVALID_SEED",
        "12345678,SEED,2031-01-01                       | INVALID_EXPIRY",
        "12345678,SEED,2031-01-01T00:00:00              | INVALID_EXPIRY",
        "12345678,SEED,2026-11-20T23:59:59Z             | EXPIRED",
        "12345678,SEED                                  | COLUMN_COUNT",
        "12345678,SEED,2031-01-01T00:00:00Z,extra       | COLUMN_COUNT",
    })
    void badRowsAreReportedWithTheirLineAndCode(String line, String code) {
        ImportLineError error = invalid("serial,seed_hex,expires_at", line.replace("SEED", SEED));
        assertThat(error.line()).isEqualTo(7);
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.message()).isNotBlank().doesNotContain(SEED);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "MD5,8,60    | INVALID_ALGORITHM",
        "SHA1,7,60   | INVALID_DIGITS",
        "SHA1,x,60   | INVALID_DIGITS",
        "SHA1,8,10   | INVALID_PERIOD",
        "SHA1,8,301  | INVALID_PERIOD",
    })
    void badOptionalColumnsAreReported(String optional, String code) {
        assertThat(invalid("serial,seed_hex,expires_at,algorithm,digits,period",
                "12345678," + SEED + ",2031-01-01T00:00:00Z," + optional).code()).isEqualTo(code);
    }
}
