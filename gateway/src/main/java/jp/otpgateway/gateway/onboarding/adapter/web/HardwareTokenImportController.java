package jp.otpgateway.gateway.onboarding.adapter.web;

import jp.otpgateway.gateway.shared.adapter.web.ApiException;
import jp.otpgateway.gateway.shared.adapter.web.ErrorCode;
import jp.otpgateway.gateway.tenant.adapter.web.Caller;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import jp.otpgateway.gateway.onboarding.application.ImportingHardwareTokens;
import jp.otpgateway.gateway.onboarding.application.MigratingUsers;
import jp.otpgateway.gateway.config.OtpProperties;
import jp.otpgateway.gateway.onboarding.domain.ImportLineError;
import java.nio.charset.Charset;
import jp.otpgateway.gateway.shared.adapter.csv.CsvCharsets;
import jp.otpgateway.gateway.shared.adapter.csv.CsvUploads;
import jp.otpgateway.gateway.shared.domain.CsvRecord;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The operator loads a hardware-token delivery file, or migrates users with their tokens (text/csv). */
@RestController
@Tag(name = "Operator", description = "信用組合の事務（operator）")
public class HardwareTokenImportController {

    /** A report lists at most this many refused lines; {@code errorCount} has them all. */
    static final int MAX_LISTED_ERRORS = 1_000;
    static final String PATH = "/v1/tenants/{tenantId}/operator/hardware-tokens";


    private final ImportingHardwareTokens importing;
    private final MigratingUsers migrating;
    private final long maxBytes;

    public HardwareTokenImportController(ImportingHardwareTokens importing, MigratingUsers migrating,
                                         OtpProperties properties) {
        this.importing = importing;
        this.migrating = migrating;
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
        return importing.importCsv(caller.tenant(), records(exchange))
                .map(r -> response(r.imported(), r.skipped(), r.errors()));
    }

    @PostMapping(path = "/v1/tenants/{tenantId}/operator/migrations", consumes = "text/csv",
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "利用者の移行（CSV）",
            description = "Users who already use a hardware token on the old platform: header "
                    + "login_id,contract_id,name,role,serial[,email]. Each user is registered with the token ACTIVE "
                    + "(the token must be imported first). Reports imported, skipped (already so) and errors by line.")
    public Mono<ImportResponse> migrate(@PathVariable String tenantId, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        return migrating.importCsv(caller.tenant(), records(exchange), caller.client().name())
                .map(r -> response(r.imported(), r.skipped(), r.errors()));
    }

    /**
     * The body as CSV records, decoded in the charset of its Content-Type (UTF-8 unless it says
     * Windows-31J or Shift_JIS), refused past otp.http.max-import-size.
     */
    private Flux<CsvRecord> records(ServerWebExchange exchange) {
        Charset charset = CsvCharsets.of(exchange.getRequest().getHeaders().getContentType());
        AtomicLong received = new AtomicLong();
        Flux<DataBuffer> body = exchange.getRequest().getBody().doOnNext(buffer -> {
            if (received.addAndGet(buffer.readableByteCount()) > maxBytes) {
                throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "file exceeds " + maxBytes + " bytes");
            }
        });
        return CsvUploads.records(body, charset);
    }

    private static ImportResponse response(long imported, long skipped, List<ImportLineError> errors) {
        return new ImportResponse(imported, skipped, errors.size(), errors.subList(0, Math.min(errors.size(),
                MAX_LISTED_ERRORS)));
    }
}
