package jp.otpgateway.gateway.mail.adapter.persistence;

import jp.otpgateway.gateway.shared.adapter.persistence.Rows;

import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.otpgateway.gateway.shared.adapter.resilience.StoreCalls;
import jp.otpgateway.gateway.mail.application.port.MailOutbox;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class R2dbcMailOutbox implements MailOutbox {

    /*
     * SKIP LOCKED: instances polling at once take different rows; the lease keeps a row this
     * instance's while it is being sent, and a dead instance's lease runs out.
     */
    private static final String CLAIM = """
            UPDATE mail_outbox m SET lease_until = :lease, attempts = m.attempts + 1
              FROM (SELECT tenant_id, mail_id FROM mail_outbox
                     WHERE status = 'PENDING' AND next_attempt_at <= :now
                       AND (lease_until IS NULL OR lease_until < :now)
                     ORDER BY next_attempt_at
                     LIMIT :limit
                     FOR UPDATE SKIP LOCKED) due
             WHERE m.tenant_id = due.tenant_id AND m.mail_id = due.mail_id
            RETURNING m.tenant_id, m.mail_id, m.mail_type, m.recipient, m.login_id, m.serial, m.service_id,
                      m.app_user_id, m.expires_at, m.notice_days, m.attempts
            """;

    private static final String SENT = """
            UPDATE mail_outbox SET status = 'SENT', sent_at = :now, lease_until = NULL, last_error = NULL
             WHERE tenant_id = :tenant AND mail_id = :id AND status = 'PENDING'
            """;

    private static final String RETRY = """
            UPDATE mail_outbox SET next_attempt_at = :next, lease_until = NULL, last_error = :error
             WHERE tenant_id = :tenant AND mail_id = :id AND status = 'PENDING'
            """;

    private static final String FAILED = """
            UPDATE mail_outbox SET status = 'FAILED', lease_until = NULL, last_error = :error
             WHERE tenant_id = :tenant AND mail_id = :id AND status = 'PENDING'
            """;

    /**
     * The address of a token user's mails, for a query with {@code a} (the assignment) and {@code u}
     * (its user): the user's own, or else the mobile address the software token was issued to.
     */
    public static final String RECIPIENT = """
              CROSS JOIN LATERAL (
                    SELECT COALESCE(u.email, (SELECT i.email FROM software_issuances i
                                               WHERE i.tenant_id = a.tenant_id AND i.serial = a.serial
                                               ORDER BY i.issued_at DESC LIMIT 1)) AS recipient) r
            """;

    /*
     * R13: every ACTIVE user of a token whose expiry is in a window gets the window's notice, once:
     * the dedup key names token, user and notice day. The address is the user's, or else the mobile
     * address the software token was issued to.
     */
    private static final String EXPIRY_NOTICES = """
            INSERT INTO mail_outbox (tenant_id, mail_type, recipient, login_id, serial, expires_at, notice_days,
                                     dedup_key, created_at, next_attempt_at)
            SELECT t.tenant_id, 'EXPIRY_NOTICE', r.recipient, a.login_id, t.serial, t.expires_at, w.days,
                   'EXPIRY:' || t.serial || ':' || a.login_id || ':' || w.days, :now, :now
              FROM (SELECT d::int AS days, f::timestamptz AS from_at, t::timestamptz AS to_at
                      FROM unnest(CAST(:days AS text[]), CAST(:froms AS text[]), CAST(:tos AS text[])) AS x(d, f, t)) w
              JOIN tokens t ON t.tenant_id = :tenant AND t.retired_at IS NULL
                           AND t.expires_at > w.from_at AND t.expires_at <= w.to_at
              JOIN assignments a ON a.tenant_id = t.tenant_id AND a.serial = t.serial AND a.state = 'ACTIVE'
              JOIN users u ON u.tenant_id = a.tenant_id AND u.login_id = a.login_id
            """ + RECIPIENT + """
             WHERE r.recipient IS NOT NULL
            ON CONFLICT (tenant_id, dedup_key) DO NOTHING
            """;

    private static final String QUEUE_SUSPENSION = """
            INSERT INTO mail_outbox (tenant_id, mail_type, recipient, login_id, serial, created_at, next_attempt_at)
            SELECT a.tenant_id, 'SUSPENSION_NOTICE', r.recipient, a.login_id, a.serial, :now, :now
              FROM assignments a
              JOIN users u ON u.tenant_id = a.tenant_id AND u.login_id = a.login_id
            """ + RECIPIENT + """
             WHERE a.tenant_id = :tenant AND a.serial = :serial AND a.login_id = ANY(CAST(:logins AS text[]))
               AND a.state = 'SUSPENDED' AND r.recipient IS NOT NULL
            """;

    private final DatabaseClient db;
    private final StoreCalls stores;

    public R2dbcMailOutbox(DatabaseClient db, StoreCalls stores) {
        this.db = db;
        this.stores = stores;
    }

    @Override
    public Flux<Mail> claimDue(Instant now, int limit, Duration lease) {
        return stores.postgres(db.sql(CLAIM).bind("now", Rows.time(now)).bind("lease", Rows.time(now.plus(lease)))
                .bind("limit", limit).map(R2dbcMailOutbox::mail).all());
    }

    private static Mail mail(Readable row) {
        return new Mail(row.get("tenant_id", String.class), Rows.number(row, "mail_id"),
                Type.valueOf(row.get("mail_type", String.class)), row.get("recipient", String.class),
                Rows.optionalText(row, "login_id"), Rows.optionalText(row, "serial"),
                Rows.optionalText(row, "service_id"), Rows.optionalText(row, "app_user_id"),
                Rows.optionalInstant(row, "expires_at"),
                Optional.ofNullable(row.get("notice_days", Number.class)).map(Number::intValue),
                Rows.integer(row, "attempts"));
    }

    @Override
    public Mono<Void> sent(Mail mail, Instant now) {
        return stores.postgres(db.sql(SENT).bind("tenant", mail.tenantId()).bind("id", mail.mailId())
                .bind("now", Rows.time(now)).then());
    }

    @Override
    public Mono<Void> retry(Mail mail, Instant next, String error) {
        return stores.postgres(db.sql(RETRY).bind("tenant", mail.tenantId()).bind("id", mail.mailId())
                .bind("next", Rows.time(next)).bind("error", clip(error)).then());
    }

    @Override
    public Mono<Void> failed(Mail mail, String error) {
        return stores.postgres(db.sql(FAILED).bind("tenant", mail.tenantId()).bind("id", mail.mailId())
                .bind("error", clip(error)).then());
    }

    @Override
    public Mono<Long> queueExpiryNotices(String tenantId, List<NoticeWindow> windows, Instant now) {
        if (windows.isEmpty()) {
            return Mono.just(0L);
        }
        return stores.postgres(db.sql(EXPIRY_NOTICES).bind("tenant", tenantId).bind("now", Rows.time(now))
                .bind("days", windows.stream().map(w -> Integer.toString(w.days())).toArray(String[]::new))
                .bind("froms", windows.stream().map(w -> Rows.time(w.from()).toString()).toArray(String[]::new))
                .bind("tos", windows.stream().map(w -> Rows.time(w.to()).toString()).toArray(String[]::new))
                .fetch().rowsUpdated());
    }

    private static String clip(String error) {
        return error.length() <= 300 ? error : error.substring(0, 300);
    }

    @Override
    public Mono<Long> queueSuspensionNotices(String tenantId, String serial, List<String> loginIds, Instant now) {
        if (loginIds.isEmpty()) {
            return Mono.just(0L);
        }
        return stores.postgres(db.sql(QUEUE_SUSPENSION).bind("tenant", tenantId).bind("serial", serial)
                .bind("logins", loginIds.toArray(String[]::new)).bind("now", Rows.time(now))
                .fetch().rowsUpdated());
    }
}
