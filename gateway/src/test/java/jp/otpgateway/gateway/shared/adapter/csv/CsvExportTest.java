package jp.otpgateway.gateway.shared.adapter.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import jp.otpgateway.gateway.shared.adapter.web.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CSV for clerks who open it in Excel: quoting, CRLF, BOM, Windows-31J, and no formulas from the data. */
class CsvExportTest {

    static final List<CsvExport.Column> COLUMNS = List.of(CsvExport.Column.number("amount"),
            CsvExport.Column.text("name"), CsvExport.Column.text("note"));

    @Test
    void aHeaderRowQuotedTextCrlfAndAByteOrderMarkForExcel() {
        byte[] bytes = new CsvExport(COLUMNS).row(Arrays.asList(110, "山田, \"太郎\"", null)).bytes(StandardCharsets.UTF_8);
        assertThat(Arrays.copyOf(bytes, 3)).containsExactly(0xEF, 0xBB, 0xBF);
        assertThat(new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8))
                .isEqualTo("\"amount\",\"name\",\"note\"\r\n110,\"山田, \"\"太郎\"\"\",\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"=HYPERLINK(\"http://evil\")", "+81-3-1234", "-2+3", "@SUM(A1)", "\tx", "\rx"})
    void aCellThatASpreadsheetWouldRunIsKeptAsText(String value) {
        String csv = new String(new CsvExport(COLUMNS).row(Arrays.asList(-5, value, "ok")).bytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8);
        assertThat(csv).contains(",\"'" + value.replace("\"", "\"\"") + "\",\"ok\"");
        assertThat(csv).contains("\r\n-5,"); // numbers stay numbers, even negative ones
    }

    @Test
    void windows31jOnRequestWithoutABom() {
        byte[] bytes = new CsvExport(COLUMNS).row(Arrays.asList(1, "髙橋①", "～")).bytes(CsvCharsets.WINDOWS_31J);
        assertThat(bytes[0]).isEqualTo((byte) '"');
        assertThat(new String(bytes, CsvCharsets.WINDOWS_31J)).contains("\"髙橋①\",\"～\"");
    }

    @Test
    void aCharacterWindows31jCannotHoldIsRefusedNotReplaced() {
        CsvExport csv = new CsvExport(COLUMNS).row(Arrays.asList(1, "😀", ""));
        assertThatThrownBy(() -> csv.bytes(CsvCharsets.WINDOWS_31J)).isInstanceOf(ApiException.class);
    }
}
