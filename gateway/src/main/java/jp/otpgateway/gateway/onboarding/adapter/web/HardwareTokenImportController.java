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
import java.util.Optional;
import jp.otpgateway.gateway.onboarding.adapter.pskc.PskcXml;
import jp.otpgateway.gateway.onboarding.domain.PskcDocument;
import jp.otpgateway.gateway.shared.adapter.web.Refusals;
import jp.otpgateway.gateway.shared.domain.FieldViolation;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import reactor.core.scheduler.Schedulers;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The operator loads a hardware-token delivery file (text/csv, or a vendor's application/pskc+xml),
 * or migrates users with their tokens (text/csv).
 */
@RestController
@Tag(name = "Operator", description = "信用組合の事務（operator）")
public class HardwareTokenImportController {

    /** A report lists at most this many refused lines; {@code errorCount} has them all. */
    static final int MAX_LISTED_ERRORS = 1_000;
    static final String PATH = "/v1/tenants/{tenantId}/operator/hardware-tokens";
    static final String PSKC_XML = "application/pskc+xml";
    static final String PSKC_KEY = "PSKC-Key";
    static final String PSKC_PASSWORD = "PSKC-Password";


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

    @PostMapping(path = PATH, consumes = PSKC_XML, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "ハードウェアトークンの登録（PSKC, RFC 6030）",
            description = "A token vendor's PSKC key container. Encrypted files name their transport key: a key stored "
                    + "with PUT …/operator/pskc-keys/{name} in the header PSKC-Key, or the password in PSKC-Password "
                    + "(PBKDF2; never logged or kept). Every ValueMAC is checked first: a MAC that does not check, a "
                    + "wrong key or password, or seeds in clear where the tenant takes none refuse the whole file "
                    + "(422 PSKC_INVALID, nothing imported). Otherwise each KeyPackage is reported like a CSV line, "
                    + "`line` being where the KeyPackage starts. TOTP keys only (HOTP is reported per key).")
    public Mono<ImportResponse> importPskc(@PathVariable String tenantId, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange);
        HttpHeaders headers = exchange.getRequest().getHeaders();
        ImportingHardwareTokens.PskcCredentials credentials = new ImportingHardwareTokens.PskcCredentials(
                Optional.ofNullable(headers.getFirst(PSKC_KEY)).map(String::strip).filter(k -> !k.isEmpty()),
                Optional.ofNullable(headers.getFirst(PSKC_PASSWORD)).filter(p -> !p.isEmpty()).map(String::toCharArray));
        return DataBufferUtils.join(exchange.getRequest().getBody(), (int) Math.min(maxBytes, Integer.MAX_VALUE))
                .onErrorMap(DataBufferLimitException.class,
                        e -> new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "file exceeds " + maxBytes + " bytes"))
                .map(buffer -> {
                    byte[] xml = new byte[buffer.readableByteCount()];
                    buffer.read(xml);
                    DataBufferUtils.release(buffer);
                    return xml;
                })
                .publishOn(Schedulers.boundedElastic())
                .map(HardwareTokenImportController::pskcDocument)
                .flatMap(document -> importing.importPskc(caller.tenant(), document, credentials))
                .switchIfEmpty(Mono.error(() -> malformed("the body is empty")))
                .map(outcome -> {
                    ImportingHardwareTokens.Report r = Refusals.orThrow(outcome, caller.tenant().timeZone());
                    return response(r.imported(), r.skipped(), r.errors());
                });
    }

    private static PskcDocument pskcDocument(byte[] xml) {
        try {
            return PskcXml.read(xml);
        } catch (PskcXml.Malformed e) {
            throw malformed(e.getMessage());
        }
    }

    private static ApiException malformed(String reason) {
        return new ApiException(ErrorCode.PSKC_INVALID, "not a PSKC file we can read: " + reason,
                List.of(new FieldViolation("file", FieldViolation.INVALID_FORMAT,
                        "PSKC（RFC 6030）のファイルとして読み取れません: " + reason)), Optional.empty());
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
