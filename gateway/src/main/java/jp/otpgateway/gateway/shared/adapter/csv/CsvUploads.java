package jp.otpgateway.gateway.shared.adapter.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import jp.otpgateway.gateway.shared.domain.CsvRecord;
import jp.otpgateway.gateway.shared.domain.FieldViolation;
import jp.otpgateway.gateway.shared.domain.InvalidInput;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.dataformat.csv.CsvMapper;

/**
 * Reads an uploaded CSV file as it streams in, with a real CSV parser (Jackson's, RFC 4180): quoted
 * fields with commas, doubled quotes and line breaks, CRLF or LF, a UTF-8 byte-order mark. Each
 * record carries the physical line it starts on, so a report points where an editor shows it.
 * The bytes are decoded strictly in the declared charset ({@link CsvCharsets}): a byte that is not
 * valid there stops the file with 400 VALIDATION_FAILED naming its line (the importers run in one
 * transaction, so nothing of the file is kept). Parsing runs on the bounded-elastic scheduler: the
 * parser pulls bytes as they arrive, which would block an event-loop thread.
 */
public final class CsvUploads {

    private static final CsvMapper CSV = CsvMapper.builder().build();

    private CsvUploads() {
    }

    public static Flux<CsvRecord> records(Flux<DataBuffer> body, Charset charset) {
        return Flux.<CsvRecord, Reader>using(
                        // The buffers are handed over on bounded-elastic too: the input stream takes a lock
                        // for each one, which must not park an event-loop thread.
                        () -> new LineCountingDecoder(DataBufferUtils.subscriberInputStream(
                                body.publishOn(Schedulers.boundedElastic()), 4), charset),
                        reader -> Flux.<CsvRecord, JsonParser>generate(() -> CSV.createParser(reader),
                                (parser, sink) -> {
                                    try {
                                        CsvRecord record = next(parser);
                                        if (record == null) {
                                            sink.complete();
                                        } else {
                                            sink.next(record);
                                        }
                                    } catch (RuntimeException e) {
                                        sink.error(translate(e));
                                    }
                                    return parser;
                                }, JsonParser::close),
                        CsvUploads::closeQuietly)
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** The next record, or null at the end of the file. */
    static CsvRecord next(JsonParser parser) {
        JsonToken token = parser.nextToken();
        while (token != null && token != JsonToken.START_ARRAY) {
            token = parser.nextToken();
        }
        if (token == null) {
            return null;
        }
        // The physical line of a record is that of its first field: Jackson places the record's own
        // start token on the line before (and on none for the first record).
        long line = -1;
        List<String> fields = new ArrayList<>();
        for (token = parser.nextToken(); token != null && token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (fields.isEmpty()) {
                line = parser.currentTokenLocation().getLineNr();
            }
            fields.add(parser.getString());
        }
        return new CsvRecord(line < 0 ? parser.currentLocation().getLineNr() - 1 : line, fields);
    }

    private static RuntimeException translate(RuntimeException e) {
        Throwable cause = e;
        while (cause != null && !(cause instanceof LineCountingDecoder.InvalidBytes)) {
            cause = cause.getCause();
        }
        if (cause instanceof LineCountingDecoder.InvalidBytes bad) {
            return new InvalidInput(List.of(new FieldViolation("line " + bad.line, "INVALID_ENCODING",
                    bad.line + "行目に、指定された文字コードでは読めないバイトがあります。ファイルの文字コード"
                            + "（UTF-8 または Shift_JIS）と Content-Type の charset をご確認ください。")));
        }
        if (e instanceof JacksonException json) {
            long line = json.getLocation() == null ? 0 : json.getLocation().getLineNr();
            return new InvalidInput(List.of(new FieldViolation("line " + line, "INVALID_FORMAT",
                    line + "行目のCSVの形式が正しくありません（引用符の閉じ忘れなど）。")));
        }
        return e;
    }

    private static void closeQuietly(Reader reader) {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
