package jp.otpgateway.gateway.shared.adapter.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import jp.otpgateway.gateway.shared.adapter.web.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;

class CsvCharsetsTest {

    @ParameterizedTest
    @ValueSource(strings = {"text/csv; charset=Shift_JIS", "text/csv; charset=windows-31j", "text/csv;charset=MS932",
            "text/csv; charset=\"cp932\""})
    void shiftJisIsReadAsWindows31j(String type) {
        assertThat(CsvCharsets.of(MediaType.parseMediaType(type))).isEqualTo(CsvCharsets.WINDOWS_31J);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/csv", "text/csv; charset=UTF-8", "text/csv; charset=utf8"})
    void utf8IsTheDefault(String type) {
        assertThat(CsvCharsets.of(MediaType.parseMediaType(type))).isEqualTo(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/csv; charset=EUC-JP", "text/csv; charset=ISO-8859-1"})
    void otherCharsetsAreRefused(String type) {
        assertThatThrownBy(() -> CsvCharsets.of(MediaType.parseMediaType(type))).isInstanceOf(ApiException.class);
    }

    @org.junit.jupiter.api.Test
    void anExportIsWrittenInTheCharsetTheCallerAccepts() {
        assertThat(CsvCharsets.accepted(MediaType.parseMediaTypes("application/json, text/csv; charset=Shift_JIS")))
                .isEqualTo(CsvCharsets.WINDOWS_31J);
        assertThat(CsvCharsets.accepted(List.of(MediaType.ALL))).isEqualTo(StandardCharsets.UTF_8);
    }
}
