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

/** The operator loads a hardware-token delivery file, or migrates users with their tokens (text/csv). */
@RestController
@Tag(name = "Operator", description = "信用組合の事務（operator）")
public class HardwareTokenImportController {

    /** A report lists at most this many refused lines; {@code errorCount} has them all. */
    static final int MAX_LISTED_ERRORS = 1_000;
    static final String PATH = "/v1/tenants/{tenantId}/operator/hardware-tokens";

    private static final StringDecoder LINES = StringDecoder.allMimeTypes(List.of("\n"), true);

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
        return importing.importCsv(caller.tenant(), lines(exchange))
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
        return migrating.importCsv(caller.tenant(), lines(exchange), caller.client().name())
                .map(r -> response(r.imported(), r.skipped(), r.errors()));
    }

    private Flux<String> lines(ServerWebExchange exchange) {
        AtomicLong received = new AtomicLong();
        Flux<DataBuffer> body = exchange.getRequest().getBody().doOnNext(buffer -> {
            if (received.addAndGet(buffer.readableByteCount()) > maxBytes) {
                throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "file exceeds " + maxBytes + " bytes");
            }
        });
        return LINES.decode(body, ResolvableType.forClass(String.class), MediaType.TEXT_PLAIN, null)
                .map(line -> line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }

    private static ImportResponse response(long imported, long skipped, List<ImportLineError> errors) {
        return new ImportResponse(imported, skipped, errors.size(), errors.subList(0, Math.min(errors.size(),
                MAX_LISTED_ERRORS)));
    }
}
