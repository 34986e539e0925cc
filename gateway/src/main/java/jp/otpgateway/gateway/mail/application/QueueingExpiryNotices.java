package jp.otpgateway.gateway.mail.application;

import jp.otpgateway.gateway.mail.application.port.MailOutbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jp.otpgateway.gateway.tenant.application.TenantRegistry;
import jp.otpgateway.tenant.model.TenantConfig;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Use case (R13): before a token expires, each of its users is mailed once per notice day of the
 * tenant ({@code notifications.expiryNoticeDays}, e.g. 90/30/7). A token whose expiry is within
 * 30 days but more than 7 gets the 30-day notice, so a token first seen late gets one mail, not
 * all the earlier ones at once. Safe to run on every instance and again: the outbox keeps one row
 * per token, user and notice day.
 */
@Service
public class QueueingExpiryNotices {

    private final MailOutbox outbox;
    private final TenantRegistry tenants;
    private final Clock clock;

    public QueueingExpiryNotices(MailOutbox outbox, TenantRegistry tenants, Clock clock) {
        this.outbox = outbox;
        this.tenants = tenants;
        this.clock = clock;
    }

    /** Queues the notices now due in every tenant; answers how many were new. */
    public Mono<Long> queue() {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return Flux.fromIterable(tenants.snapshot().tenants().values())
                    .concatMap(tenant -> outbox.queueExpiryNotices(tenant.id(), windows(tenant, now), now))
                    .reduce(0L, Long::sum);
        });
    }

    /** The notice days, longest first, each covering expiries after the next shorter one up to its own. */
    static List<MailOutbox.NoticeWindow> windows(TenantConfig tenant, Instant now) {
        List<Integer> days = tenant.notifications().expiryNoticeDays();
        List<MailOutbox.NoticeWindow> windows = new ArrayList<>(days.size());
        for (int i = 0; i < days.size(); i++) {
            int shorter = i + 1 < days.size() ? days.get(i + 1) : 0;
            windows.add(new MailOutbox.NoticeWindow(days.get(i), now.plus(Duration.ofDays(shorter)),
                    now.plus(Duration.ofDays(days.get(i)))));
        }
        return windows;
    }
}
