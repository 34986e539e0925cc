package jp.otpgateway.gateway.shared.adapter.csv;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jp.otpgateway.gateway.shared.adapter.web.ApiException;
import jp.otpgateway.gateway.shared.adapter.web.ErrorCode;
import org.springframework.http.MediaType;

/**
 * CSV as the gateway writes it for clerks who open it in Excel (RFC 4180): a header row, every text
 * field quoted with doubled quotes inside, CRLF line ends; UTF-8 with a byte-order mark by default
 * (so Excel reads Japanese text as such), Windows-31J without one on request
 * ({@code Accept: text/csv; charset=Windows-31J}). A text cell that starts with {@code = + - @},
 * a tab or a carriage return would be a formula in a spreadsheet (CSV injection, OWASP): it is
 * written with a leading {@code '} so that it stays text. Number columns are written as numbers.
 */
public final class CsvExport {

    /** A column: its header and whether its cells are numbers (never neutralised, never quoted). */
    public record Column(String header, boolean number) {

        public static Column text(String header) {
            return new Column(header, false);
        }

        public static Column number(String header) {
            return new Column(header, true);
        }
    }

    private final List<Column> columns;
    private final StringBuilder out = new StringBuilder();

    public CsvExport(List<Column> columns) {
        this.columns = List.copyOf(columns);
        List<String> headers = new ArrayList<>();
        columns.forEach(c -> headers.add(c.header()));
        line(headers, true);
    }

    /** One row; {@code null} is an empty cell. */
    public CsvExport row(List<?> values) {
        if (values.size() != columns.size()) {
            throw new IllegalArgumentException(columns.size() + " cells expected, got " + values.size());
        }
        List<String> cells = new ArrayList<>(values.size());
        for (Object v : values) {
            cells.add(v == null ? null : v.toString());
        }
        line(cells, false);
        return this;
    }

    private void line(List<String> cells, boolean header) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String cell = cells.get(i);
            if (cell == null) {
                continue;
            }
            if (!header && columns.get(i).number()) {
                out.append(cell);
            } else {
                out.append('"').append(neutralised(cell).replace("\"", "\"\"")).append('"');
            }
        }
        out.append("\r\n");
    }

    /** OWASP CSV injection: a cell a spreadsheet would run as a formula is kept as text. */
    static String neutralised(String text) {
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            return "'" + text;
        }
        return text;
    }

    /**
     * The bytes in the charset the caller accepts: UTF-8 with a byte-order mark, or Windows-31J when
     * asked for. A character Windows-31J cannot hold is refused (406), never replaced.
     */
    public byte[] bytes(Charset charset) {
        if (charset.equals(StandardCharsets.UTF_8)) {
            byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
            byte[] withBom = new byte[body.length + 3];
            withBom[0] = (byte) 0xEF;
            withBom[1] = (byte) 0xBB;
            withBom[2] = (byte) 0xBF;
            System.arraycopy(body, 0, withBom, 3, body.length);
            return withBom;
        }
        try {
            ByteBuffer encoded = charset.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(out));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new ApiException(ErrorCode.NOT_ACCEPTABLE, "the export holds characters that " + charset.name()
                    + " cannot hold; ask for UTF-8 (Accept: text/csv)");
        }
    }

    /** The Content-Type of {@link #bytes(Charset)}. */
    public static MediaType mediaType(Charset charset) {
        return new MediaType("text", "csv", charset);
    }
}
