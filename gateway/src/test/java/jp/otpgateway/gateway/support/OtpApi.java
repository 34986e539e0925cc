package jp.otpgateway.gateway.support;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import jp.otpgateway.gateway.verification.domain.Totp;
import jp.otpgateway.gateway.verification.domain.TotpParameters;
import jp.otpgateway.tenant.model.HashAlgorithm;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The HTTP API of one test tenant as a portal and its operator call it, plus what a test needs to
 * play the user: fresh users and tokens with known seeds, and the code a token shows at an instant.
 */
public final class OtpApi {

    public static final String SEED_HEX = "3132333435363738393031323334353637383930";

    private final WebTestClient http;
    private final String tenant;
    private final String portalKey;
    private final String operatorKey;
    private final TestClock clock;

    public OtpApi(WebTestClient http, String tenant, String portalKey, String operatorKey, TestClock clock) {
        this.http = http;
        this.tenant = tenant;
        this.portalKey = portalKey;
        this.operatorKey = operatorKey;
        this.clock = clock;
    }

    public String tenant() {
        return tenant;
    }

    /** A contract ID no earlier run of the suite used. */
    public static String newContract() {
        return "C-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** Registers a new user of {@code contract} and answers its login ID. */
    public String user(String contract, String role) {
        String login = "u-" + UUID.randomUUID().toString().substring(0, 13);
        http.put().uri("/v1/tenants/{t}/users/{l}", tenant, login)
                .headers(h -> h.setBearerAuth(portalKey))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("contractId", contract, "name", "利用者 " + login, "role", role))
                .exchange().expectStatus().isCreated();
        return login;
    }

    /** Registers a new user of {@code contract} with a mail address and answers its login ID. */
    public String userWithEmail(String contract, String role, String email) {
        String login = "u-" + UUID.randomUUID().toString().substring(0, 13);
        http.put().uri("/v1/tenants/{t}/users/{l}", tenant, login)
                .headers(h -> h.setBearerAuth(portalKey))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("contractId", contract, "name", "利用者 " + login, "role", role, "email", email))
                .exchange().expectStatus().isCreated();
        return login;
    }

    /** Imports a new hardware token with the known seed and answers its serial. */
    public String token(Instant expiry) {
        Instant expiresAt = expiry.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String serial = Long.toString(ThreadLocalRandom.current().nextLong(100_000_000_000L, 1_000_000_000_000L));
        String csv = "serial,seed_hex,expires_at\n" + serial + "," + SEED_HEX + ","
                + OffsetDateTime.ofInstant(expiresAt, ZoneOffset.ofHours(9)) + "\n";
        http.post().uri("/v1/tenants/{t}/operator/hardware-tokens", tenant)
                .headers(h -> h.setBearerAuth(operatorKey))
                .contentType(MediaType.parseMediaType("text/csv"))
                .bodyValue(csv)
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.imported").isEqualTo(1);
        return serial;
    }

    /** A token valid for years. */
    public String token() {
        return token(clock.instant().plus(Duration.ofDays(4 * 365)));
    }

    /** The 8-digit code the token shows at {@code at} (RFC 6238, SHA1, 60 s). */
    public static String codeAt(Instant at) {
        return Totp.codeAt(HexFormat.of().parseHex(SEED_HEX),
                new TotpParameters(HashAlgorithm.SHA1, 8, Duration.ofSeconds(60), 1), at);
    }

    /** The code the token shows now by the gateway's clock. */
    public String code() {
        return codeAt(clock.instant());
    }

    /** A well-formed code that is not the token's around now. */
    public String wrongCode() {
        Instant now = clock.instant();
        List<String> near = List.of(codeAt(now.minusSeconds(60)), codeAt(now), codeAt(now.plusSeconds(60)));
        for (int i = 0; ; i++) {
            String candidate = String.format("%08d", (i * 7_919_311L + 12_345_678L) % 100_000_000L);
            if (!near.contains(candidate)) {
                return candidate;
            }
        }
    }

    public WebTestClient.ResponseSpec portalPost(String path, Object body, Object... vars) {
        return post(portalKey, path, body, vars);
    }

    public WebTestClient.ResponseSpec operatorPost(String path, Object body, Object... vars) {
        return post(operatorKey, path, body, vars);
    }

    private WebTestClient.ResponseSpec post(String key, String path, Object body, Object... vars) {
        return post(key, null, path, body, vars);
    }

    /** A portal POST carrying {@code Idempotency-Key: idempotencyKey}. */
    public WebTestClient.ResponseSpec portalPostKeyed(String idempotencyKey, String path, Object body, Object... vars) {
        return post(portalKey, idempotencyKey, path, body, vars);
    }

    /** An operator POST carrying {@code Idempotency-Key: idempotencyKey}. */
    public WebTestClient.ResponseSpec operatorPostKeyed(String idempotencyKey, String path, Object body,
                                                       Object... vars) {
        return post(operatorKey, idempotencyKey, path, body, vars);
    }

    /** {@code body} a String is sent as it is (raw JSON), anything else as JSON. */
    private WebTestClient.ResponseSpec post(String key, String idempotencyKey, String path, Object body,
                                            Object... vars) {
        Object[] all = new Object[vars.length + 1];
        all[0] = tenant;
        System.arraycopy(vars, 0, all, 1, vars.length);
        return http.post().uri("/v1/tenants/{t}" + path, all)
                .headers(h -> {
                    h.setBearerAuth(key);
                    if (idempotencyKey != null) {
                        h.set("Idempotency-Key", idempotencyKey);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    /** The body of a transaction decision request. */
    public static Map<String, Object> transaction(String login, String type, long amount, boolean payeeRegistered,
                                                  String otp) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("loginId", login);
        body.put("type", type);
        body.put("amount", amount);
        body.put("payeeRegistered", payeeRegistered);
        if (otp != null) {
            body.put("otp", otp);
        }
        return body;
    }

    /** A transfer to an unregistered payee without a code. */
    public WebTestClient.ResponseSpec transfer(String login, long amount) {
        return portalPost("/transactions", transaction(login, "TRANSFER", amount, false, null));
    }

    /** {@code n} users of their own contracts, each with an activated token of their own (clock not moved). */
    public java.util.List<String> activatedUsers(int n) {
        java.util.List<String> logins = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String login = user(newContract(), "GENERAL");
            activated(login, token());
            logins.add(login);
        }
        return logins;
    }

    /** A user with an activated token; the clock is moved past the activation code's step. */
    public String activeUser() {
        String login = user(newContract(), "GENERAL");
        activated(login, token());
        clock.advance(Duration.ofSeconds(60));
        return login;
    }

    public WebTestClient.ResponseSpec portalGet(String path, Object... vars) {
        return get(portalKey, path, vars);
    }

    public WebTestClient.ResponseSpec operatorGet(String path, Object... vars) {
        return get(operatorKey, path, vars);
    }

    public WebTestClient.ResponseSpec delete(String path, Object... vars) {
        Object[] all = new Object[vars.length + 1];
        all[0] = tenant;
        System.arraycopy(vars, 0, all, 1, vars.length);
        return http.delete().uri("/v1/tenants/{t}" + path, all).headers(h -> h.setBearerAuth(operatorKey)).exchange();
    }

    private WebTestClient.ResponseSpec get(String key, String path, Object... vars) {
        Object[] all = new Object[vars.length + 1];
        all[0] = tenant;
        System.arraycopy(vars, 0, all, 1, vars.length);
        return http.get().uri("/v1/tenants/{t}" + path, all).headers(h -> h.setBearerAuth(key)).exchange();
    }

    public WebTestClient.ResponseSpec activate(String login, String serial, String code) {
        return portalPost("/users/{l}/otp/activation", Map.of("serial", serial, "otp", code), login);
    }

    /** Activates with the current code and expects success. */
    public void activated(String login, String serial) {
        activate(login, serial, code()).expectStatus().isOk();
    }

    public WebTestClient.ResponseSpec verify(String login, String code) {
        return portalPost("/users/{l}/otp/verification", Map.of("otp", code, "operation", "LOGIN"), login);
    }

    public WebTestClient.ResponseSpec status(String login) {
        return portalGet("/users/{l}/otp", login);
    }
}
