package jp.otpgateway.tenant.load;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import jp.otpgateway.tenant.model.ApiClient;
import jp.otpgateway.tenant.model.AuditSettings;
import jp.otpgateway.tenant.model.ClientRole;
import jp.otpgateway.tenant.model.Fees;
import jp.otpgateway.tenant.model.HashAlgorithm;
import jp.otpgateway.tenant.model.Limits;
import jp.otpgateway.tenant.model.Lockout;
import jp.otpgateway.tenant.model.Notifications;
import jp.otpgateway.tenant.model.OperationPolicy;
import jp.otpgateway.tenant.model.OtpSettings;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.TokenKind;
import jp.otpgateway.tenant.model.Tokens;
import jp.otpgateway.tenant.model.UserRole;
import jp.otpgateway.tenant.model.WithoutOtp;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads and validates tenant files ({@code <id>.yaml}). The YAML is read as a node tree (never bound
 * reflectively), so that every problem carries its line, unknown and duplicate keys are caught,
 * and YAML 1.1 surprises ({@code no} as false, {@code 12:30} as a number) cannot change a value.
 */
public final class TenantConfigLoader {

    /** A tenant file is a few kilobytes; anything far larger is not one. */
    public static final long MAX_FILE_BYTES = 1 << 20;
    public static final long MAX_YEN = 10_000_000_000_000L;

    static final Pattern TENANT_ID = Pattern.compile("[a-z0-9-]{2,32}");
    static final Pattern OPERATION_NAME = Pattern.compile("[A-Z_]{2,40}");
    static final Pattern CLIENT_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    static final Pattern HH_MM = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
    static final Pattern HTTPS_URL = Pattern.compile("https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[\\x21-\\x7E]*)?");
    static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");

    /** Loads the file; its tenant id must equal the file name without {@code .yaml}/{@code .yml}. */
    public LoadResult load(Path file) {
        String display = file.toString();
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                return invalid(display, 1, "", "file is larger than " + MAX_FILE_BYTES + " bytes");
            }
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
            return load(display, expectedId(file), text);
        } catch (CharacterCodingException e) {
            return invalid(display, 1, "", "file is not valid UTF-8");
        } catch (IOException e) {
            return invalid(display, 1, "", "cannot read file: " + e.getMessage());
        }
    }

    /** The tenant id a file must declare: its name without the extension. */
    public static String expectedId(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    public static boolean isTenantFile(Path file) {
        String name = file.getFileName().toString();
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && !name.startsWith(".");
    }

    /** Loads YAML text that claims to be the tenant {@code expectedId}; {@code display} names it in problems. */
    public LoadResult load(String display, String expectedId, String yamlText) {
        Node root;
        try (Reader reader = new StringReader(yamlText)) {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true); // detected by Fields, with both lines
            options.setMaxAliasesForCollections(10);
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            return invalid(display, line, "", "not valid YAML: " + e.getProblem());
        } catch (YAMLException | IOException e) {
            return invalid(display, 1, "", "not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            return invalid(display, 1, "", "file is empty");
        }
        Problems problems = new Problems(display);
        TenantConfig config = read(Fields.of(problems, "", root), expectedId);
        return problems.isEmpty() ? new LoadResult.Valid(config) : new LoadResult.Invalid(problems.sorted());
    }

    private static LoadResult invalid(String file, int line, String path, String message) {
        return new LoadResult.Invalid(List.of(new ConfigProblem(file, line, path, message)));
    }

    private TenantConfig read(Fields root, String expectedId) {
        String id = root.requiredText("id");
        if (root.node("id").isPresent() && !id.isEmpty()) {
            if (!TENANT_ID.matcher(id).matches()) {
                root.problem("id", "'" + id + "' is not valid; expected 2 to 32 of a-z, 0-9 and '-'");
            } else if (!id.equals(expectedId)) {
                root.problem("id", "'" + id + "' must equal the file name '" + expectedId + "'");
            }
        }
        String name = root.requiredText("name");
        if (root.node("name").isPresent() && (name.isBlank() || name.length() > 100)) {
            root.problem("name", "expected a name of 1 to 100 characters");
        }
        ZoneId zone = zone(root);
        OtpSettings otp = otp(root.section("otp"));
        Lockout lockout = lockout(root.section("lockout"));
        Map<String, OperationPolicy> operations = operations(root);
        WithoutOtp withoutOtp = withoutOtp(root.section("withoutOtp"));
        Tokens tokens = tokens(root.section("tokens"));
        Notifications notifications = notifications(root.section("notifications"));
        Fees fees = fees(root.section("fees"));
        List<ApiClient> clients = clients(root);
        Limits limits = limits(root.section("limits"));
        Fields auditSection = root.section("audit");
        AuditSettings audit = new AuditSettings(auditSection.period("retention", AuditSettings.DEFAULTS.retention(),
                365, 30));
        auditSection.finish();
        root.finish();
        return new TenantConfig(id, name, zone, otp, lockout, operations, withoutOtp, tokens, notifications,
                fees, clients, limits, audit);
    }

    private static ZoneId zone(Fields root) {
        Optional<String> text = root.optionalText("timeZone");
        if (text.isEmpty()) {
            return ZoneId.of("Asia/Tokyo");
        }
        try {
            if (!text.get().contains("/")) {
                throw new DateTimeException("not a region");
            }
            return ZoneId.of(text.get());
        } catch (DateTimeException e) {
            root.problem("timeZone", "'" + text.get() + "' is not a time zone region; expected e.g. Asia/Tokyo");
            return ZoneId.of("Asia/Tokyo");
        }
    }

    private static OtpSettings otp(Fields f) {
        OtpSettings d = OtpSettings.DEFAULTS;
        int digits = f.integer("digits", d.digits(), 6, 8);
        if (digits == 7) {
            f.problem("digits", "7 is not valid; expected 6 or 8");
            digits = d.digits();
        }
        Duration period = f.duration("period", d.period(), Duration.ofSeconds(15), Duration.ofSeconds(300));
        HashAlgorithm algorithm = f.enumValue("algorithm", HashAlgorithm.class, d.algorithm());
        int window = f.integer("window", d.window(), 0, 3);
        boolean normalize = f.bool("normalizeFullWidthDigits", d.normalizeFullWidthDigits());
        OtpSettings.Drift drift = drift(f.section("drift"));
        f.finish();
        return new OtpSettings(digits, period, algorithm, window, normalize, drift);
    }

    private static OtpSettings.Drift drift(Fields f) {
        OtpSettings.Drift d = OtpSettings.Drift.DEFAULTS;
        int maxSteps = f.integer("maxSteps", d.maxSteps(), 0, 60);
        int resyncWindow = f.integer("resyncWindow", Math.min(d.resyncWindow(), maxSteps), 0, 60);
        if (resyncWindow > maxSteps) {
            f.problem("resyncWindow", "resyncWindow " + resyncWindow + " is greater than maxSteps " + maxSteps
                    + " (a resync may not find an offset that could not be kept)");
            resyncWindow = maxSteps;
        }
        f.finish();
        return new OtpSettings.Drift(maxSteps, resyncWindow);
    }

    private static Lockout lockout(Fields f) {
        int max = f.integer("maxConsecutiveFailures", 5, 3, 10);
        Set<UserRole> unlockBy = EnumSet.of(UserRole.MASTER, UserRole.ADMIN);
        Optional<List<Node>> roles = f.list("unlockBy");
        if (roles.isPresent()) {
            unlockBy = EnumSet.noneOf(UserRole.class);
            for (int i = 0; i < roles.get().size(); i++) {
                Node item = roles.get().get(i);
                Optional<UserRole> role = f.enumOf("unlockBy[" + i + "]", item, UserRole.class, UserRole::name);
                if (role.isPresent() && role.get() == UserRole.GENERAL) {
                    f.problemAt(item, "unlockBy[" + i + "]",
                            "GENERAL users cannot unlock others (R8); expected MASTER or ADMIN, or [] for operator only");
                } else if (role.isPresent() && !unlockBy.add(role.get())) {
                    f.problemAt(item, "unlockBy[" + i + "]", role.get() + " is listed twice");
                }
            }
        }
        boolean cascade = f.bool("cascadeToSharers", true);
        f.finish();
        return new Lockout(max, unlockBy, cascade);
    }

    private static Map<String, OperationPolicy> operations(Fields root) {
        Map<String, OperationPolicy> operations = new LinkedHashMap<>();
        if (root.node("operations").isEmpty()) {
            return operations;
        }
        Fields ops = root.section("operations");
        for (String name : ops.keys()) {
            if (!OPERATION_NAME.matcher(name).matches()) {
                ops.problemAtLine(ops.keyLine(name), ops.child(name),
                        "'" + name + "' is not a valid operation name; expected 2 to 40 of A-Z and '_'");
                continue;
            }
            Fields op = ops.section(name);
            boolean otpRequired = op.bool("otpRequired", false);
            boolean money = op.bool("moneyMovement", false);
            boolean exempt = op.bool("exemptRegisteredPayee", false);
            if (exempt && !money) {
                op.problem("exemptRegisteredPayee", "applies only to operations with moneyMovement: true");
            }
            op.finish();
            operations.put(name, new OperationPolicy(name, otpRequired, money, exempt));
        }
        return operations;
    }

    private static WithoutOtp withoutOtp(Fields f) {
        long limit = f.number("dailyTransferLimit", 200_000, 0, MAX_YEN);
        WithoutOtp.NonMoneyPolicy nonMoney =
                f.enumValue("nonMoneyOperations", WithoutOtp.NonMoneyPolicy.class, WithoutOtp.NonMoneyPolicy.ALLOW);
        f.finish();
        return new WithoutOtp(limit, nonMoney);
    }

    private static Tokens tokens(Fields f) {
        Set<TokenKind> kinds = EnumSet.allOf(TokenKind.class);
        Optional<List<Node>> kindNodes = f.list("kinds");
        if (kindNodes.isPresent()) {
            kinds = EnumSet.noneOf(TokenKind.class);
            for (int i = 0; i < kindNodes.get().size(); i++) {
                Node item = kindNodes.get().get(i);
                Optional<TokenKind> kind = f.enumOf("kinds[" + i + "]", item, TokenKind.class, TokenKind::name);
                if (kind.isPresent() && !kinds.add(kind.get())) {
                    f.problemAt(item, "kinds[" + i + "]", kind.get() + " is listed twice");
                }
            }
            if (kinds.isEmpty() && kindNodes.get().isEmpty()) {
                f.problem("kinds", "expected at least one of SOFTWARE, HARDWARE");
            }
        }
        Fields hw = f.section("hardware");
        Tokens.Hardware hardware = new Tokens.Hardware(
                hw.bool("sharing", true),
                hw.duration("reissueWindow", Duration.ofDays(90), Duration.ofDays(1), Duration.ofDays(365)),
                hw.period("validity", Period.ofYears(5), 1, 10),
                hw.bool("activationRequiredAtLogin", false),
                wholeDays(hw, "startAfterShipping", Duration.ofDays(14), Duration.ofDays(90)),
                hw.bool("pskcPlainValues", false));
        hw.finish();
        Fields sw = f.section("software");
        Period swValidity = sw.period("validity", Period.ofYears(5), 1, 10);
        int[] digits = activationPasswordDigits(sw);
        Tokens.Software software = new Tokens.Software(swValidity, digits[0], digits[1],
                sw.integer("setupAttempts", 5, 1, 10), sw.bool("reinstallNextDay", true),
                Optional.ofNullable(sw.text("appDownloadUrl", HTTPS_URL, "an https:// URL without spaces", null)));
        sw.finish();
        boolean deactivationRequiresOtp = f.bool("deactivationRequiresOtp", true);
        Duration cooldown = f.duration("revocationCooldown", Duration.ofMinutes(30), Duration.ZERO, Duration.ofDays(7));
        Tokens.DailyWindow window = maintenanceWindow(f.section("maintenanceWindow"));
        f.finish();
        return new Tokens(kinds, hardware, software, deactivationRequiresOtp, cooldown, window);
    }

    /** A duration of whole days (a date is set from it), between 0 and {@code max}. */
    private static Duration wholeDays(Fields f, String name, Duration fallback, Duration max) {
        Duration d = f.duration(name, fallback, Duration.ZERO, max);
        if (d.toSeconds() % 86_400 != 0) {
            f.problem(name, "expected whole days, e.g. 14d");
            return fallback;
        }
        return d;
    }

    private static int[] activationPasswordDigits(Fields sw) {
        Fields range = sw.section("activationPasswordDigits");
        int min = range.integer("min", 4, 4, 8);
        int max = range.integer("max", 8, 4, 8);
        if (min > max) {
            range.problem("min", "min " + min + " is greater than max " + max);
            min = 4;
            max = 8;
        }
        range.finish();
        return new int[] {min, max};
    }

    private static Tokens.DailyWindow maintenanceWindow(Fields f) {
        LocalTime from = time(f, "from", LocalTime.of(2, 59));
        LocalTime to = time(f, "to", LocalTime.of(3, 10));
        if (from.equals(to)) {
            f.problem("to", "the window is empty: from and to are both " + from);
        }
        f.finish();
        return new Tokens.DailyWindow(from, to);
    }

    private static LocalTime time(Fields f, String key, LocalTime defaultValue) {
        String text = f.text(key, HH_MM, "a time HH:MM between 00:00 and 23:59 (quote it: \"02:59\")", null);
        if (text == null) {
            return defaultValue;
        }
        try {
            return LocalTime.parse(text);
        } catch (DateTimeParseException e) {
            f.problem(key, "'" + text + "' is not a time HH:MM");
            return defaultValue;
        }
    }

    private static Notifications notifications(Fields f) {
        List<Integer> days = new ArrayList<>(List.of(90, 30, 7));
        Optional<List<Node>> dayNodes = f.list("expiryNoticeDays");
        if (dayNodes.isPresent()) {
            days = new ArrayList<>();
            for (int i = 0; i < dayNodes.get().size(); i++) {
                Node item = dayNodes.get().get(i);
                Optional<Long> day = f.wholeNumber("expiryNoticeDays[" + i + "]", item, 1, 365);
                if (day.isPresent() && days.contains(day.get().intValue())) {
                    f.problemAt(item, "expiryNoticeDays[" + i + "]", day.get() + " is listed twice");
                } else if (day.isPresent()) {
                    days.add(day.get().intValue());
                }
            }
        }
        days.sort((a, b) -> Integer.compare(b, a));
        String from = f.requiredText("from");
        if (f.node("from").isPresent() && !from.isEmpty() && !EMAIL.matcher(from).matches()) {
            f.problem("from", "'" + from + "' is not a mail address");
        }
        f.finish();
        return new Notifications(days, from);
    }

    private static Fees fees(Fields f) {
        Fees fees = new Fees(
                f.integer("freeTokensPerContract", 1, 0, 1000),
                f.number("monthlyPerExtraToken", 110, 0, MAX_YEN),
                f.number("reissue", 2200, 0, MAX_YEN),
                f.integer("billingDay", 10, 1, 28));
        f.finish();
        return fees;
    }

    private static List<ApiClient> clients(Fields root) {
        List<ApiClient> clients = new ArrayList<>();
        Optional<List<Node>> items = root.list("clients");
        if (items.isEmpty()) {
            if (root.node("clients").isEmpty()) {
                root.problem("clients", "is required: at least one API client (portal and/or operator)");
            }
            return clients;
        }
        if (items.get().isEmpty()) {
            root.problem("clients", "expected at least one API client");
        }
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < items.get().size(); i++) {
            Fields c = Fields.of(root.problems(), "clients[" + i + "]", items.get().get(i));
            String name = c.text("name", CLIENT_NAME, "1 to 64 of A-Z, a-z, 0-9, '.', '_' and '-'", "");
            if (c.node("name").isEmpty()) {
                c.problem("name", "is required");
            } else if (!name.isEmpty() && !names.add(name)) {
                c.problem("name", "'" + name + "' is used by another client of this tenant");
            }
            ClientRole role = c.enumValue("role", ClientRole.class, null, ClientRole::configName);
            if (c.node("role").isEmpty()) {
                c.problem("role", "is required: portal or operator");
            }
            String hash = c.text("keySha256", SHA256_HEX,
                    "64 hexadecimal characters (the SHA-256 of the API key, never the key itself)", "");
            if (c.node("keySha256").isEmpty()) {
                c.problem("keySha256", "is required");
            } else if (!hash.isEmpty() && !hashes.add(hash.toLowerCase(java.util.Locale.ROOT))) {
                c.problem("keySha256", "the same key is given to another client of this tenant");
            }
            c.finish();
            if (role != null && !hash.isEmpty() && !name.isEmpty()) {
                clients.add(new ApiClient(name, role, hash.toLowerCase(java.util.Locale.ROOT)));
            }
        }
        return clients;
    }

    private static Limits limits(Fields f) {
        Limits limits = new Limits(
                f.integer("requestsPerSecond", 500, 1, 100_000),
                f.integer("concurrentRequests", 200, 1, 10_000));
        f.finish();
        return limits;
    }
}
