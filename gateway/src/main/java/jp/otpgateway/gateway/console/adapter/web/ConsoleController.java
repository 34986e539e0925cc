package jp.otpgateway.gateway.console.adapter.web;

import java.text.Normalizer;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import jp.otpgateway.gateway.console.domain.ConsoleSession;
import jp.otpgateway.gateway.console.domain.SignInFailures;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.ResponseEntity;
import reactor.core.publisher.Flux;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The branch console's pages (docs/console.md). Each page is one or two calls of the operator API
 * ({@link OperatorApi}) rendered in Japanese; each state change is a confirmation page (GET, changes
 * nothing) and its POST, which carries the form token and an Idempotency-Key drawn for that page.
 */
@Controller
public class ConsoleController {

    private static final Logger log = LoggerFactory.getLogger(ConsoleController.class);
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final List<String> LIST_STATES = List.of("LOCKED", "IN_STOCK", "SUSPENDED");

    private final OperatorApi api;
    private final Clock clock;
    /**
     * Wrong sign-ins per remote address, on this instance (SignInFailures: the rule). Bounded, and an
     * entry goes once its window is over, so that many addresses cannot fill the memory.
     */
    private final Cache<String, SignInFailures> failures = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(SignInFailures.WINDOW).build();
    private final boolean secureCookie;

    public ConsoleController(OperatorApi api, Clock clock, @Value("${otp.console.secure-cookie:true}") boolean secureCookie) {
        this.api = api;
        this.clock = clock;
        this.secureCookie = secureCookie;
    }

    /** What a page may know of the clerk: never the key. */
    public record Clerk(String tenantId, String staffId, String formToken) {
    }

    private static ConsoleSession session(ServerWebExchange exchange) {
        return ConsoleGuard.clerk(exchange).orElseThrow(() -> new IllegalStateException("no clerk past the console guard"));
    }

    private static Rendering.Builder<?> page(String view, ServerWebExchange exchange) {
        ConsoleSession s = session(exchange);
        return Rendering.view("console/" + view).modelAttribute("clerk", new Clerk(s.tenantId(), s.staffId(), s.formToken()));
    }

    private static Mono<Rendering> seeOther(String location) {
        return Mono.just(Rendering.redirectTo(location).status(HttpStatus.SEE_OTHER).build());
    }

    // ---- sign-in -------------------------------------------------------------------------------

    @GetMapping("/console/signin")
    public Mono<Rendering> signInPage(ServerWebExchange exchange) {
        var q = exchange.getRequest().getQueryParams();
        String notice = q.containsKey("expired") ? "一定時間操作がなかったため、サインアウトしました。もう一度サインインしてください。"
                : q.containsKey("signedout") ? "サインアウトしました。" : null;
        return Mono.just(Rendering.view("console/signin")
                .modelAttribute("formToken", ConsoleSessions.signInToken(exchange, secureCookie))
                .modelAttribute("notice", notice != null ? notice : "").build());
    }

    @PostMapping("/console/signin")
    public Mono<Rendering> signIn(ServerWebExchange exchange) {
        String address = remoteAddress(exchange);
        return exchange.getFormData().flatMap(form -> {
            String tenant = trim(form.getFirst("tenantId"));
            String staff = trim(form.getFirst("staffId"));
            String key = form.getFirst("operatorKey");
            SignInFailures before = failures.getIfPresent(address);
            if (before != null && before.blocked(clock.instant())) {
                log.warn("console sign-in refused: too many wrong sign-ins from {}", address);
                return signInAgain(exchange, "サインインの失敗が続いたため、しばらくサインインできません。15分ほどおいてお試しください。",
                        tenant, staff, HttpStatus.TOO_MANY_REQUESTS);
            }
            if (!ConsoleSession.wellFormed(tenant, staff, key)) {
                return signInAgain(exchange, "組合ID、職員番号（半角英数字）、オペレーターキーを入力してください。", tenant, staff,
                        HttpStatus.BAD_REQUEST);
            }
            ConsoleSession probe = new ConsoleSession(tenant, staff, key, "-", clock.instant());
            // the key is proven by the cheapest operator call: one locked token at most
            return api.get(probe, OperatorApi.Call.of("/tokens").with(Map.of("state", "LOCKED", "limit", "1")))
                    .flatMap(answer -> {
                        if (answer.ok()) {
                            // a right key does not wipe the address's wrong ones (SignInFailures)
                            log.info("console sign-in: tenant {} staff {}", tenant, staff);
                            return exchange.getSession()
                                    .flatMap(s -> ConsoleSessions.signIn(s, tenant, staff, key, clock))
                                    .then(seeOther("/console/"));
                        }
                        if (answer.status() == 401 || answer.status() == 403 || answer.status() == 404) {
                            failures.asMap().compute(address, (a, f) -> (f == null ? SignInFailures.none(clock.instant()) : f)
                                    .plusOne(clock.instant()));
                            log.warn("console sign-in failed: tenant {} staff {} from {} ({})", tenant, staff, address,
                                    answer.code());
                            return signInAgain(exchange, "組合ID、オペレーターキーのいずれかが正しくありません。", tenant, staff,
                                    HttpStatus.UNAUTHORIZED);
                        }
                        return signInAgain(exchange, answer.message(), tenant, staff, HttpStatus.valueOf(answer.status()));
                    });
        });
    }

    private Mono<Rendering> signInAgain(ServerWebExchange exchange, String error, String tenant, String staff, HttpStatus status) {
        exchange.getResponse().setStatusCode(status);
        return Mono.just(Rendering.view("console/signin")
                .modelAttribute("formToken", ConsoleSessions.signInToken(exchange, secureCookie)).modelAttribute("error", error)
                .modelAttribute("tenantId", tenant == null ? "" : tenant).modelAttribute("staffId", staff == null ? "" : staff)
                .modelAttribute("notice", "").build());
    }

    private static String remoteAddress(ServerWebExchange exchange) {
        var remote = exchange.getRequest().getRemoteAddress();
        return remote == null ? "unknown" : remote.getHostString();
    }

    @PostMapping("/console/signout")
    public Mono<Rendering> signOut(ServerWebExchange exchange) {
        log.info("console sign-out: tenant {} staff {}", session(exchange).tenantId(), session(exchange).staffId());
        return exchange.getSession().flatMap(s -> s.invalidate()).then(seeOther("/console/signin?signedout"));
    }

    // ---- home, users, tokens -------------------------------------------------------------------

    @GetMapping({"/console", "/console/"})
    public Mono<Rendering> home(ServerWebExchange exchange) {
        return Mono.just(page("home", exchange).build());
    }

    @GetMapping("/console/users")
    public Mono<Rendering> user(@RequestParam(required = false) String loginId, @RequestParam(required = false) String done,
                             ServerWebExchange exchange) {
        String login = trim(loginId);
        if (login == null) {
            return seeOther("/console/");
        }
        ConsoleSession s = session(exchange);
        return api.get(s, OperatorApi.Call.of("/users/{login}", login)).map(answer -> {
            if (!answer.ok()) {
                return page("home", exchange).modelAttribute("error", answer.message()).modelAttribute("loginId", login)
                        .status(HttpStatus.valueOf(answer.status())).build();
            }
            return page("user", exchange).modelAttribute("user", answer.body()).modelAttribute("actions", UserAction.values())
                    .modelAttribute("done", UserAction.byPath(done == null ? "" : done).map(a -> a.label).orElse(""))
                    .build();
        });
    }

    @GetMapping("/console/users/{loginId}/actions/{action}")
    public Mono<Rendering> confirmUserAction(@PathVariable String loginId, @PathVariable String action,
                                             ServerWebExchange exchange) {
        UserAction what = UserAction.byPath(action).orElse(null);
        if (what == null) {
            return Mono.just(notFound(exchange));
        }
        return api.get(session(exchange), OperatorApi.Call.of("/users/{login}", loginId)).map(answer -> answer.ok()
                ? confirmation(exchange, what, answer.body(), null, List.of()).build()
                : page("home", exchange).modelAttribute("error", answer.message())
                        .status(HttpStatus.valueOf(answer.status())).build());
    }

    private Rendering.Builder<?> confirmation(ServerWebExchange exchange, UserAction what, Map<String, Object> user,
                                              String error, List<String> fieldErrors) {
        return page("confirm", exchange).modelAttribute("action", what).modelAttribute("user", user)
                .modelAttribute("idem", UUID.randomUUID().toString())
                .modelAttribute("error", error == null ? "" : error).modelAttribute("fieldErrors", fieldErrors);
    }

    @PostMapping("/console/users/{loginId}/actions/{action}")
    public Mono<Rendering> userAction(@PathVariable String loginId, @PathVariable String action, ServerWebExchange exchange) {
        UserAction what = UserAction.byPath(action).orElse(null);
        if (what == null) {
            return Mono.just(notFound(exchange));
        }
        ConsoleSession s = session(exchange);
        return exchange.getFormData().flatMap(form -> {
            Map<String, String> fields = fields(form, "serial", "reason", "otp1", "otp2");
            if (what.needsSerial && fields.get("serial") == null) {
                return Mono.just(page("home", exchange).modelAttribute("error", "この利用者にはトークンが登録されていません。")
                        .status(HttpStatus.CONFLICT).build());
            }
            UserAction.ApiCall call = what.call(loginId, s.staffId(), fields);
            return api.post(s, call.call(), call.body(), idempotencyKey(form)).flatMap(answer -> {
                if (answer.ok()) {
                    log.info("console: {} for a user of tenant {} by staff {}", what.name(), s.tenantId(), s.staffId());
                    return seeOther("/console/users?loginId=" + urlPart(loginId) + "&done=" + what.path);
                }
                // refused: the page again, with the API's message (codes entered are not shown again)
                return api.get(s, OperatorApi.Call.of("/users/{login}", loginId)).map(user -> confirmation(exchange,
                        what, user.ok() ? user.body() : Map.of("loginId", loginId), answer.message(), answer.fieldMessages())
                        .status(HttpStatus.valueOf(answer.status())).build());
            });
        });
    }

    @GetMapping("/console/tokens")
    public Mono<Rendering> token(@RequestParam(required = false) String serial, ServerWebExchange exchange) {
        String number = serial(serial);
        if (number == null) {
            return seeOther("/console/");
        }
        return api.get(session(exchange), OperatorApi.Call.of("/tokens/{serial}", number)).map(answer -> answer.ok()
                ? page("token", exchange).modelAttribute("token", answer.body()).build()
                : page("home", exchange).modelAttribute("error", answer.message()).modelAttribute("serial", number)
                        .status(HttpStatus.valueOf(answer.status())).build());
    }

    @GetMapping("/console/token-lists")
    public Mono<Rendering> tokenList(@RequestParam(defaultValue = "LOCKED") String state,
                                     @RequestParam(required = false) String cursor, ServerWebExchange exchange) {
        String listed = LIST_STATES.contains(state) ? state : "LOCKED";
        return api.get(session(exchange), OperatorApi.Call.of("/tokens").with(query("state", listed, "cursor", cursor)))
                .map(answer -> listPage(exchange, "token-list", answer).modelAttribute("state", listed).build());
    }

    @GetMapping("/console/expiring")
    public Mono<Rendering> expiring(@RequestParam(defaultValue = "90") String days, ServerWebExchange exchange) {
        return api.get(session(exchange), OperatorApi.Call.of("/expiring-tokens").with(query("days", days)))
                .map(answer -> listPage(exchange, "expiring", answer).modelAttribute("days", days).build());
    }

    // ---- shipments ------------------------------------------------------------------------------

    @GetMapping("/console/shipments")
    public Mono<Rendering> shipments(@RequestParam(required = false) String done, ServerWebExchange exchange) {
        return api.get(session(exchange), OperatorApi.Call.of("/shipments").with(query("status", "REQUESTED")))
                .map(answer -> listPage(exchange, "shipments", answer)
                        .modelAttribute("done", done == null ? "" : done.replaceAll("[^0-9]", "")).build());
    }

    /** The serial's check before shipping: the serial as the clerk typed it, looked up; only a token in stock ships. */
    @GetMapping("/console/shipments/{shipmentId}/confirm")
    public Mono<Rendering> confirmShipment(@PathVariable String shipmentId, @RequestParam(required = false) String serial,
                                           @RequestParam(required = false) String startsOn, ServerWebExchange exchange) {
        ConsoleSession s = session(exchange);
        String number = serial(serial);
        if (number == null) {
            return shipmentsWithError(exchange, "シリアル番号を入力してください。", HttpStatus.BAD_REQUEST);
        }
        return Mono.zip(api.get(s, OperatorApi.Call.of("/shipments").with(query("status", "REQUESTED"))),
                api.get(s, OperatorApi.Call.of("/tokens/{serial}", number))).map(both -> {
                    Map<String, Object> shipment = findShipment(both.getT1(), shipmentId).orElse(null);
                    if (shipment == null) {
                        return page("shipments", exchange).modelAttribute("items", List.of())
                                .modelAttribute("error", "この発送依頼は見つからないか、すでに発送済みです。")
                                .status(HttpStatus.NOT_FOUND).build();
                    }
                    OperatorApi.Answer token = both.getT2();
                    String problem = !token.ok() ? token.message()
                            : !"IN_STOCK".equals(token.body().get("state"))
                            ? "このシリアル番号のトークンは在庫にありません（状態：" + token.body().get("stateLabel") + "）。" : null;
                    return page("ship", exchange).modelAttribute("shipment", shipment)
                            .modelAttribute("token", token.ok() ? token.body() : Map.of()).modelAttribute("serial", number)
                            .modelAttribute("startsOn", startsOn == null ? "" : startsOn.strip())
                            .modelAttribute("error", problem == null ? "" : problem)
                            .modelAttribute("idem", UUID.randomUUID().toString())
                            .status(problem == null ? HttpStatus.OK : HttpStatus.CONFLICT).build();
                });
    }

    @PostMapping("/console/shipments/{shipmentId}")
    public Mono<Rendering> ship(@PathVariable String shipmentId, ServerWebExchange exchange) {
        ConsoleSession s = session(exchange);
        return exchange.getFormData().flatMap(form -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("serial", serial(form.getFirst("serial")));
            String startsOn = trim(form.getFirst("startsOn"));
            if (startsOn != null) {
                body.put("startsOn", startsOn);
            }
            return api.post(s, OperatorApi.Call.of("/shipments/{id}", shipmentId), body, idempotencyKey(form))
                    .flatMap(answer -> answer.ok()
                            ? seeOther("/console/shipments?done=" + urlPart(shipmentId))
                            : shipmentsWithError(exchange, answer.message(), HttpStatus.valueOf(answer.status()))
                                    );
        });
    }

    private Mono<Rendering> shipmentsWithError(ServerWebExchange exchange, String error, HttpStatus status) {
        return api.get(session(exchange), OperatorApi.Call.of("/shipments").with(query("status", "REQUESTED")))
                .map(answer -> listPage(exchange, "shipments", answer).modelAttribute("error", error)
                        .modelAttribute("done", "").status(status).build());
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> findShipment(OperatorApi.Answer list, String id) {
        return items(list).stream().filter(m -> String.valueOf(m.get("shipmentId")).equals(id)).findFirst();
    }

    // ---- audit and billing ----------------------------------------------------------------------

    static final List<String> AUDIT_FILTERS = List.of("loginId", "serial", "contractId", "operation", "outcome");

    @GetMapping("/console/audit")
    public Mono<Rendering> audit(ServerWebExchange exchange) {
        var params = exchange.getRequest().getQueryParams();
        Map<String, String> filters = auditFilters(params);
        Map<String, String> query = new LinkedHashMap<>(filters);
        dateRange(params, query);
        query.put("cursor", trim(params.getFirst("cursor")));
        query.put("limit", "50");
        return api.get(session(exchange), OperatorApi.Call.of("/audit").with(query))
                .map(answer -> listPage(exchange, "audit", answer).modelAttribute("filters", filters)
                        .modelAttribute("from", orEmpty(params.getFirst("from")))
                        .modelAttribute("to", orEmpty(params.getFirst("to")))
                        .modelAttribute("query", exchange.getRequest().getURI().getRawQuery() == null ? ""
                                : withoutCursor(exchange.getRequest().getURI().getRawQuery()))
                        .build());
    }

    @GetMapping("/console/audit.csv")
    public Mono<ResponseEntity<Flux<DataBuffer>>> auditCsv(ServerWebExchange exchange) {
        var params = exchange.getRequest().getQueryParams();
        Map<String, String> query = new LinkedHashMap<>(auditFilters(params));
        dateRange(params, query);
        String raw = exchange.getRequest().getURI().getRawQuery();
        return download(exchange, OperatorApi.Call.of("/audit").with(query), "audit.csv", params.containsKey("excel"),
                "/console/audit" + (raw == null ? "" : "?" + raw));
    }

    @GetMapping("/console/billing")
    public Mono<Rendering> billing(@RequestParam(required = false) String month, @RequestParam(required = false) String cursor,
                                   ServerWebExchange exchange) {
        String shown = month(month);
        return api.get(session(exchange), OperatorApi.Call.of("/billing/{month}", shown).with(query("cursor", cursor)))
                .map(answer -> page("billing", exchange).modelAttribute("month", shown)
                        .modelAttribute("statement", answer.ok() ? answer.body() : Map.of())
                        .modelAttribute("error", answer.ok() ? "" : answer.message())
                        .status(HttpStatus.valueOf(answer.status())).build());
    }

    @GetMapping("/console/billing.csv")
    public Mono<ResponseEntity<Flux<DataBuffer>>> billingCsv(@RequestParam(required = false) String month, ServerWebExchange exchange) {
        String shown = month(month);
        return download(exchange, OperatorApi.Call.of("/billing/{month}", shown), "billing-" + shown + ".csv",
                exchange.getRequest().getQueryParams().containsKey("excel"), "/console/billing?month=" + shown);
    }

    /** The API's CSV streamed through; where the API refuses, back to the page, which shows its message. */
    private Mono<ResponseEntity<Flux<DataBuffer>>> download(ServerWebExchange exchange, OperatorApi.Call call,
                                                           String filename, boolean excel, String back) {
        return api.csv(session(exchange), call, excel)
                .map(entity -> ResponseEntity.ok().contentType(entity.getHeaders().getContentType())
                        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"")
                        .body(entity.getBody()))
                .onErrorResume(OperatorApi.Refused.class, refused -> Mono.just(
                        ResponseEntity.status(HttpStatus.SEE_OTHER).location(java.net.URI.create(back))
                                .<Flux<DataBuffer>>body(Flux.empty())));
    }

    // ---- helpers --------------------------------------------------------------------------------

    private Rendering notFound(ServerWebExchange exchange) {
        return page("home", exchange).modelAttribute("error", "その操作はありません。").status(HttpStatus.NOT_FOUND).build();
    }

    private static Rendering.Builder<?> listPage(ServerWebExchange exchange, String view, OperatorApi.Answer answer) {
        return page(view, exchange).modelAttribute("items", items(answer))
                .modelAttribute("nextCursor", answer.ok() ? orEmpty((String) answer.body().get("nextCursor")) : "")
                .modelAttribute("error", answer.ok() ? "" : answer.message())
                .status(HttpStatus.valueOf(answer.status()));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(OperatorApi.Answer answer) {
        if (!answer.ok()) {
            return List.of();
        }
        Object items = answer.body().containsKey("items") ? answer.body().get("items") : answer.list();
        if (items instanceof List<?> list) {
            return (List<Map<String, Object>>) list;
        }
        return List.of();
    }

    private static Map<String, String> auditFilters(MultiValueMap<String, String> params) {
        Map<String, String> filters = new LinkedHashMap<>();
        for (String f : AUDIT_FILTERS) {
            filters.put(f, orEmpty(trim(params.getFirst(f))));
        }
        return filters;
    }

    /** The form's days (Tokyo) as the API's instants: from the start of the first day to the end of the last. */
    private static void dateRange(MultiValueMap<String, String> params, Map<String, String> query) {
        day(params.getFirst("from")).ifPresent(d -> query.put("from", d.atStartOfDay(TOKYO).toOffsetDateTime().toString()));
        day(params.getFirst("to")).ifPresent(d -> query.put("to", d.plusDays(1).atStartOfDay(TOKYO).toOffsetDateTime().toString()));
    }

    private static Optional<LocalDate> day(String value) {
        try {
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(LocalDate.parse(value.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private String month(String month) {
        try {
            return month == null || month.isBlank() ? YearMonth.from(clock.instant().atZone(TOKYO)).toString()
                    : YearMonth.parse(month.strip()).toString();
        } catch (DateTimeParseException e) {
            return YearMonth.from(clock.instant().atZone(TOKYO)).toString();
        }
    }

    private static String withoutCursor(String rawQuery) {
        return String.join("&", java.util.Arrays.stream(rawQuery.split("&")).filter(p -> !p.startsWith("cursor=")).toList());
    }

    private static Map<String, String> query(String... pairs) {
        Map<String, String> q = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            q.put(pairs[i], pairs[i + 1]);
        }
        return q;
    }

    private static Map<String, String> fields(MultiValueMap<String, String> form, String... names) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, trim(form.getFirst(n)));
        }
        out.put("serial", serial(form.getFirst("serial")));
        return out;
    }

    /** The form's Idempotency-Key: drawn when the confirmation page was shown, so a second submit acts once. */
    private static String idempotencyKey(MultiValueMap<String, String> form) {
        String idem = trim(form.getFirst("idem"));
        return "console-" + (idem != null && idem.matches("[0-9a-f-]{36}") ? idem : UUID.randomUUID().toString());
    }

    /** A serial as clerks type it: full-width digits, spaces and hyphens allowed; the API checks the rest. */
    static String serial(String typed) {
        String t = trim(typed);
        return t == null ? null : Normalizer.normalize(t, Normalizer.Form.NFKC).replaceAll("[\\s-]", "");
    }

    private static String trim(String value) {
        if (value == null) {
            return null;
        }
        String t = value.strip();
        return t.isEmpty() ? null : t;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String urlPart(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
