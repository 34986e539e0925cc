package jp.otpgateway.gateway.adapter.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import jp.otpgateway.gateway.application.ImportingHardwareTokens;
import jp.otpgateway.gateway.config.OtpProperties;
import jp.otpgateway.gateway.domain.token.ImportLineError;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.StringDecoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The operator loads a hardware-token delivery file (text/csv). */
@RestController
@Tag(name = "Operator", description = "信用組合の事務（operator）")
public class HardwareTokenImportController {

    /** A report lists at most this many refused lines; {@code errorCount} has them all. */
    static final int MAX_LISTED_ERRORS = 1_000;
    static final String PATH = "/v1/tenants/{tenantId}/operator/hardware-tokens";

    private static final StringDecoder LINES = StringDecoder.allMimeTypes(List.of("\n"), true);

    private final ImportingHardwareTokens importing;
    private final long maxBytes;

    public HardwareTokenImportController(ImportingHardwareTokens importing, OtpProperties properties) {
        this.importing = importing;
        this.maxBytes = properties.http().maxImportSize().toBytes();
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImportResponse(long imported, long skipped, long errorCount, List<ImportLineError> errors) {
    }

    @PostMapping(path = PATH, consumes = "text/csv", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "ハードウェアトークンの登録（CSV）",
            description = "Header serial,seed_hex,expires_at[,algorithm,digits,period]. Reports each line: "
                    + "imported, skipped (serial already known or repeated), errors with line numbers.")
    public Mono<ImportResponse> importCsv(@PathVariable String tenantId, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        AtomicLong received = new AtomicLong();
        Flux<DataBuffer> body = exchange.getRequest().getBody().doOnNext(buffer -> {
            if (received.addAndGet(buffer.readableByteCount()) > maxBytes) {
                throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "delivery file exceeds " + maxBytes + " bytes");
            }
        });
        Flux<String> lines = LINES.decode(body, ResolvableType.forClass(String.class), MediaType.TEXT_PLAIN, null)
                .map(line -> line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        return importing.importCsv(caller.tenant(), lines)
                .map(r -> new ImportResponse(r.imported(), r.skipped(), r.errors().size(),
                        r.errors().subList(0, Math.min(r.errors().size(), MAX_LISTED_ERRORS))));
    }
}
