package jp.otpgateway.gateway.mail.application;

import jp.otpgateway.gateway.mail.application.port.MailOutbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jp.otpgateway.gateway.mail.domain.DeliverySchedule;
import jp.otpgateway.gateway.lifecycle.domain.LifecycleFixtures;
import org.junit.jupiter.api.Test;

/** When notices are due (R13) and when a failed mail is tried again. */
class MailScheduleTest {

    static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");

    @Test
    void eachNoticeDayCoversTheExpiriesUpToItselfAfterTheNextShorterOne() {
        List<MailOutbox.NoticeWindow> windows = QueueingExpiryNotices.windows(LifecycleFixtures.tenant(), NOW);
        assertThat(windows).containsExactly(
                new MailOutbox.NoticeWindow(90, NOW.plus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(90))),
                new MailOutbox.NoticeWindow(30, NOW.plus(Duration.ofDays(7)), NOW.plus(Duration.ofDays(30))),
                new MailOutbox.NoticeWindow(7, NOW, NOW.plus(Duration.ofDays(7))));
    }

    @Test
    void retriesWaitTwiceAsLongEachTimeUpToTheCap() {
        DeliverySchedule mail = new DeliverySchedule(50, Duration.ofMinutes(2), Duration.ofSeconds(30),
                Duration.ofHours(1), 30);
        assertThat(mail.retryDelay(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(mail.retryDelay(2)).isEqualTo(Duration.ofMinutes(1));
        assertThat(mail.retryDelay(4)).isEqualTo(Duration.ofMinutes(4));
        assertThat(mail.retryDelay(8)).isEqualTo(Duration.ofHours(1));
        assertThat(mail.retryDelay(29)).isEqualTo(Duration.ofHours(1));
    }
}
