package jp.otpgateway.gateway.mail.adapter.smtp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.otpgateway.gateway.mail.application.port.MailOutbox;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.UserRole;
import org.springframework.core.io.ClassPathResource;

/**
 * The Japanese text of every mail type, from {@code mail/<TYPE>.txt}: a {@code Subject:} line, an
 * empty line, the body. {@code {name}} placeholders take the tenant's name and the mail's fields; a
 * placeholder without a value is an error, never an empty gap in a customer's mail.
 */
public final class MailTemplates {

    /** Dates as the manuals print them (R13: YYYY年MM月DD日 HH時MM分). */
    static final DateTimeFormatter JAPANESE_DATE_TIME = DateTimeFormatter.ofPattern("uuuu年MM月dd日 HH時mm分");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

    /** A mail ready for the server. */
    public record Rendered(String from, String to, String subject, String body) {
    }

    private record Template(String subject, String body) {
    }

    private final Map<MailOutbox.Type, Template> templates = new EnumMap<>(MailOutbox.Type.class);

    public MailTemplates() {
        for (MailOutbox.Type type : MailOutbox.Type.values()) {
            templates.put(type, load("mail/" + type.name() + ".txt"));
        }
    }

    public Rendered render(MailOutbox.Mail mail, TenantConfig tenant) {
        Template template = templates.get(mail.type());
        Map<String, String> values = values(mail, tenant);
        return new Rendered(tenant.notifications().from(), mail.recipient(), fill(template.subject(), values),
                fill(template.body(), values));
    }

    private static Map<String, String> values(MailOutbox.Mail mail, TenantConfig tenant) {
        ZoneId zone = tenant.timeZone();
        Map<String, String> v = new HashMap<>();
        v.put("tenantName", tenant.name());
        mail.loginId().ifPresent(login -> v.put("loginId", login));
        mail.serial().ifPresent(serial -> v.put("serial", serial));
        mail.serviceId().ifPresent(id -> v.put("serviceId", id));
        mail.appUserId().ifPresent(id -> v.put("appUserId", id));
        mail.expiresAt().ifPresent(at -> v.put("expiresAt", japanese(at, zone)));
        mail.noticeDays().ifPresent(days -> v.put("days", Integer.toString(days)));
        v.put("appDownload", tenant.tokens().software().appDownloadUrl()
                .orElse("ダウンロードの方法は、" + tenant.name() + "のホームページをご覧ください。"));
        v.put("reissueWindowDays", Long.toString(tenant.tokens().hardware().reissueWindow().toDays()));
        v.put("unlockGuidance", unlockGuidance(tenant));
        v.put("sharerNote", tenant.lockout().cascadeToSharers()
                ? "同じトークンを共有している利用者の方がいる場合は、その方も停止されています。" : "");
        return v;
    }

    /** R8: who lifts the lock, as the tenant's policy says. */
    static String unlockGuidance(TenantConfig tenant) {
        if (tenant.lockout().operatorOnly()) {
            return "利用停止の解除は、お取引店の窓口でお手続きください。";
        }
        String who = tenant.lockout().unlockBy().contains(UserRole.ADMIN)
                ? "マスターユーザまたは管理者ユーザ" : "マスターユーザ";
        return "利用停止の解除は、ご契約先の" + who + "の方に依頼してください。\n"
                + "マスターユーザの方が停止された場合は、お取引店の窓口でお手続きください。";
    }

    static String japanese(Instant at, ZoneId zone) {
        return JAPANESE_DATE_TIME.format(at.atZone(zone));
    }

    private static String fill(String text, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("the mail has no value for {" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Template load(String path) {
        String text;
        try (var in = new ClassPathResource(path).getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("mail template " + path, e);
        }
        if (!text.startsWith("Subject: ") || !text.contains("\n\n")) {
            throw new IllegalStateException(path + ": expected a 'Subject: ' line, an empty line and the body");
        }
        int end = text.indexOf('\n');
        return new Template(text.substring("Subject: ".length(), end).strip(), text.substring(end + 1).strip() + "\n");
    }
}
