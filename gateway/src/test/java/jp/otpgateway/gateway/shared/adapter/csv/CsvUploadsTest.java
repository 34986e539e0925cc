package jp.otpgateway.gateway.shared.adapter.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jp.otpgateway.gateway.shared.domain.CsvRecord;
import jp.otpgateway.gateway.shared.domain.InvalidInput;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;

/** Files as Excel and core-banking exports make them, read record by record with their physical lines. */
class CsvUploadsTest {

    static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** The body as the network delivers it: in pieces of {@code piece} bytes (a character may be split). */
    static List<CsvRecord> read(byte[] file, Charset charset, int piece) {
        List<DataBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < file.length; i += piece) {
            byte[] part = java.util.Arrays.copyOfRange(file, i, Math.min(file.length, i + piece));
            buffers.add(DefaultDataBufferFactory.sharedInstance.wrap(part));
        }
        return CsvUploads.records(Flux.fromIterable(buffers), charset).collectList().block(Duration.ofSeconds(10));
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void anExcelFileWithQuotesCommasALineBreakCrlfAndABomIsReadWithItsPhysicalLines() {
        String text = "login_id,name,role\r\n"
                + "u1,\"山田, 太郎\",MASTER\r\n"
                + "u2,\"佐藤 \"\"はなこ\"\"\",GENERAL\r\n"
                + "u3,\"鈴木\r\n次郎\",GENERAL\r\n"
                + "u4,ｽｽﾞｷ ｲﾁﾛｳ,ADMIN\r\n";
        for (int piece : new int[] {1, 3, 8192}) {
            List<CsvRecord> records = read(concat(BOM, text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8, piece);
            assertThat(records).extracting(CsvRecord::line).containsExactly(1L, 2L, 3L, 4L, 6L);
            assertThat(records.get(0).fields()).containsExactly("login_id", "name", "role");
            assertThat(records.get(1).fields()).containsExactly("u1", "山田, 太郎", "MASTER");
            assertThat(records.get(2).fields()).containsExactly("u2", "佐藤 \"はなこ\"", "GENERAL");
            assertThat(records.get(3).fields().get(1)).isEqualTo("鈴木\r\n次郎");
            assertThat(records.get(4).fields()).containsExactly("u4", "ｽｽﾞｷ ｲﾁﾛｳ", "ADMIN");
        }
    }

    @Test
    void aWindows31jFileKeepsTheCharactersStrictShiftJisWouldLose() {
        byte[] file = "login_id,name\r\nu1,髙橋①～\r\nu2,ﾀｶﾊｼ\r\n".getBytes(CsvCharsets.WINDOWS_31J);
        List<CsvRecord> records = read(file, CsvCharsets.WINDOWS_31J, 1);
        assertThat(records.get(1).fields()).containsExactly("u1", "髙橋①～");
        assertThat(records.get(2).fields()).containsExactly("u2", "ﾀｶﾊｼ");
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedWithTheirLineNeverReplaced() {
        byte[] file = concat("serial,name\nu1,山田\nu2,".getBytes(StandardCharsets.UTF_8),
                "髙橋".getBytes(CsvCharsets.WINDOWS_31J), "\nu3,x\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> read(file, StandardCharsets.UTF_8, 5))
                .isInstanceOfSatisfying(InvalidInput.class, e -> {
                    assertThat(e.violations()).singleElement().satisfies(v -> {
                        assertThat(v.field()).isEqualTo("line 3");
                        assertThat(v.code()).isEqualTo("INVALID_ENCODING");
                        assertThat(v.message()).startsWith("3行目");
                    });
                });
    }

    @Test
    void bytesThatAreNotWindows31jAreRefusedToo() {
        byte[] file = concat("a,b\r\n".getBytes(StandardCharsets.US_ASCII), new byte[] {'x', ',', (byte) 0x81, (byte) 0x7F},
                "\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> read(file, CsvCharsets.WINDOWS_31J, 8192))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.violations().get(0).field()).isEqualTo("line 2"));
    }

    @Test
    void anUnclosedQuoteIsAFormatErrorNotASilentlyJoinedFile() {
        byte[] file = "a,b\n1,\"open\n2,3\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> read(file, StandardCharsets.UTF_8, 8192))
                .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.violations().get(0).code()).isEqualTo("INVALID_FORMAT"));
    }

    @Test
    void emptyLinesAreRecordsThatTheImportersSkipAndLfOnlyFilesWork() {
        List<CsvRecord> records = read("a,b\n\n1,2\n".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8, 8192);
        assertThat(records).filteredOn(r -> !r.blank()).extracting(CsvRecord::line).containsExactly(1L, 3L);
    }
}
