package jp.otpgateway.gateway.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.otpgateway.gateway.mail.application.QueueingExpiryNotices;
import jp.otpgateway.gateway.mail.application.SendingMail;
import jp.otpgateway.gateway.support.IntegrationTest;
import jp.otpgateway.gateway.support.OtpApi;
import jp.otpgateway.gateway.support.TwoTenantsTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The mails, received by a real SMTP server (GreenMail on 127.0.0.1:39025, application-test.yml):
 * the issuance mail (R2), the lock notice (R7/R8) and the expiry notices (R13), in Japanese with
 * the tenant's name and sender; a mail server that is down delays mails but loses none; parallel
 * senders and repeated notice runs send each mail once.
 */
@IntegrationTest
class MailIT extends TwoTenantsTest {

    static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    static final GreenMail smtp = new GreenMail(new ServerSetup(39025, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    @Autowired
    SendingMail sending;

    @Autowired
    QueueingExpiryNotices expiryNotices;

    @Autowired
    DatabaseClient db;

    @BeforeAll
    static void startSmtp() {
        smtp.start();
    }

    @AfterAll
    static void stopSmtp() {
        smtp.stop();
    }

    @BeforeEach
    void emptyMailboxes() throws Exception {
        if (!smtp.isRunning()) {
            smtp.start();
        }
        drain();
        smtp.purgeEmailFromAllMailboxes();
    }

    /** Runs the sender until nothing is due (mails of other tests may be queued before ours). */
    long drain() {
        long total = 0;
        for (long sent = sending.sendDue().block(); sent > 0; sent = sending.sendDue().block()) {
            total += sent;
        }
        return total;
    }

    List<MimeMessage> to(String address) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO))
                        .anyMatch(a -> ((InternetAddress) a).getAddress().equals(address));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    static String address() {
        return "m-" + UUID.randomUUID().toString().substring(0, 8) + "@example.jp";
    }

    @Test
    void theIssuanceMailCarriesTheAppsIdsAndTheDownloadLinkButNeverThePassword() throws Exception {
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        String mobile = address();
        Map<?, ?> issued = alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "SOFTWARE", "email", mobile,
                        "activationPassword", "80469213"), login)
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        drain();

        List<MimeMessage> mails = to(mobile);
        assertThat(mails).hasSize(1);
        MimeMessage mail = mails.get(0);
        assertThat(mail.getSubject()).isEqualTo("【テストalpha信用組合】トークン発行のご案内");
        InternetAddress from = (InternetAddress) mail.getFrom()[0];
        assertThat(from.getAddress()).isEqualTo("otp@it-alpha.example.jp");
        assertThat(from.getPersonal()).isEqualTo("テストalpha信用組合");
        assertThat(mail.getHeader("Message-ID")[0]).startsWith("<otp-mail-it-alpha-");
        String body = (String) mail.getContent();
        assertThat(body)
                .contains("サービスID：" + issued.get("serviceId"))
                .contains("ユーザID：" + issued.get("appUserId"))
                .contains("https://apps.it-alpha.example.jp/otp")
                .doesNotContain("80469213");
        assertThat(mail.getContentType()).contains("UTF-8");
    }

    @Test
    void withoutADownloadLinkTheMailSendsTheUserToTheCreditUnion() throws Exception {
        String login = beta.user(OtpApi.newContract(), "GENERAL");
        String mobile = address();
        beta.portalPost("/users/{l}/otp/issuance", Map.of("kind", "SOFTWARE", "email", mobile,
                "activationPassword", "246813"), login).expectStatus().isCreated();
        drain();
        assertThat((String) to(mobile).get(0).getContent())
                .contains("ダウンロードの方法は、テストbeta信用組合のホームページをご覧ください。");
    }

    @Test
    void aMailServerThatIsDownDelaysTheMailButLosesNone() throws Exception {
        smtp.stop();
        String login = alpha.user(OtpApi.newContract(), "GENERAL");
        String mobile = address();
        alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "SOFTWARE", "email", mobile,
                "activationPassword", "1234"), login).expectStatus().isCreated();

        assertThat(drain()).isZero();
        Map<String, Object> row = outboxRow(mobile);
        assertThat(row).containsEntry("status", "PENDING").containsEntry("attempts", 1);
        assertThat(row.get("last_error").toString()).contains("MailSendException");
        // Not due again before its back-off (30 s after the first failure).
        smtp.start();
        assertThat(drain()).isZero();
        assertThat(to(mobile)).isEmpty();

        clock.advance(Duration.ofSeconds(31));
        drain();
        assertThat(to(mobile)).hasSize(1);
        assertThat(outboxRow(mobile)).containsEntry("status", "SENT").containsEntry("attempts", 2);
        // Sent means sent: nothing goes out twice.
        clock.advance(Duration.ofMinutes(5));
        drain();
        assertThat(to(mobile)).hasSize(1);
    }

    @Test
    void parallelSendersDeliverEachMailOnce() {
        String mobile = address();
        for (int i = 0; i < 6; i++) {
            String login = alpha.user(OtpApi.newContract(), "GENERAL");
            alpha.portalPost("/users/{l}/otp/issuance", Map.of("kind", "SOFTWARE", "email", mobile,
                    "activationPassword", "1234"), login).expectStatus().isCreated();
        }
        // Four instances polling at once.
        Flux.range(0, 4).flatMap(i -> Mono.defer(sending::sendDue)
                        .subscribeOn(reactor.core.scheduler.Schedulers.parallel()))
                .blockLast();
        drain();
        assertThat(to(mobile)).hasSize(6);
    }

    @Test
    void theLockNoticeGoesToEveryUserOfTheTokenWithTheTenantsWayToUnlock() throws Exception {
        String contract = OtpApi.newContract();
        String masterMail = address();
        String sharerMail = address();
        String master = alpha.userWithEmail(contract, "MASTER", masterMail);
        String sharer = alpha.userWithEmail(contract, "GENERAL", sharerMail);
        String serial = alpha.token();
        alpha.activated(master, serial);
        clock.advance(Duration.ofSeconds(60));
        alpha.activated(sharer, serial);
        clock.advance(Duration.ofSeconds(60));
        for (int i = 0; i < 5; i++) {
            alpha.verify(master, alpha.wrongCode());
        }
        alpha.verify(master, alpha.wrongCode()).expectStatus().isEqualTo(423);
        drain();

        assertThat(to(masterMail)).hasSize(1);
        assertThat(to(sharerMail)).hasSize(1);
        MimeMessage notice = to(sharerMail).get(0);
        assertThat(notice.getSubject()).isEqualTo("【テストalpha信用組合】ワンタイムパスワード利用停止のお知らせ");
        assertThat((String) notice.getContent())
                .contains("ログインID：" + sharer)
                .contains("シリアル番号：" + serial)
                .contains("マスターユーザまたは管理者ユーザの方に依頼してください")
                .contains("同じトークンを共有している利用者の方がいる場合は、その方も停止されています。");

        // it-beta: only the branch unlocks (manuals 001/003).
        String betaMail = address();
        String betaUser = beta.userWithEmail(OtpApi.newContract(), "GENERAL", betaMail);
        beta.activated(betaUser, beta.token());
        clock.advance(Duration.ofSeconds(60));
        for (int i = 0; i < 3; i++) {
            beta.verify(betaUser, beta.wrongCode());
        }
        drain();
        assertThat((String) to(betaMail).get(0).getContent()).contains("お取引店の窓口でお手続きください。")
                .doesNotContain("管理者ユーザの方に依頼");
    }

    @Test
    void eachExpiryNoticeGoesOutOncePerTokenUserAndNoticeDay() throws Exception {
        clock.fix(ZonedDateTime.of(2026, 11, 21, 9, 0, 0, 0, TOKYO).toInstant());
        String contract = OtpApi.newContract();
        String mail = address();
        String sharerMail = address();
        String login = alpha.userWithEmail(contract, "GENERAL", mail);
        String sharer = alpha.userWithEmail(contract, "GENERAL", sharerMail);
        Instant expiry = ZonedDateTime.of(2026, 12, 16, 14, 5, 0, 0, TOKYO).toInstant(); // 25 days on
        String serial = alpha.token(expiry);
        alpha.activated(login, serial);
        clock.advance(Duration.ofSeconds(60));
        alpha.activated(sharer, serial);

        // Several instances and runs at once: one 30-day notice per user (not the 90-day one too).
        Flux.range(0, 4).flatMap(i -> Mono.defer(expiryNotices::queue)
                .subscribeOn(reactor.core.scheduler.Schedulers.parallel())).blockLast();
        expiryNotices.queue().block();
        drain();
        assertThat(to(mail)).hasSize(1);
        assertThat(to(sharerMail)).hasSize(1);
        MimeMessage notice = to(mail).get(0);
        assertThat(notice.getSubject()).isEqualTo("【テストalpha信用組合】ワンタイムパスワードトークン有効期限のお知らせ");
        assertThat((String) notice.getContent()).contains("有効期限まで30日を切りました")
                .contains("シリアル番号：" + serial)
                .contains("有効期限：2026年12月16日 14時05分")
                .contains("有効期限の90日前から");

        // 19 days later 6 days are left: the 7-day notice, once, however often the job runs.
        clock.advance(Duration.ofDays(19));
        expiryNotices.queue().block();
        expiryNotices.queue().block();
        drain();
        assertThat(to(mail)).hasSize(2);
        assertThat((String) to(mail).get(1).getContent()).contains("有効期限まで7日を切りました");
        assertThat(db.sql("SELECT count(*) AS n FROM mail_outbox WHERE tenant_id = 'it-alpha' AND serial = :s"
                        + " AND mail_type = 'EXPIRY_NOTICE'")
                .bind("s", serial).map(row -> row.get("n", Long.class)).one().block()).isEqualTo(4L);
        // An expired token gets no notice any more.
        clock.advance(Duration.ofDays(7));
        expiryNotices.queue().block();
        drain();
        assertThat(to(mail)).hasSize(2);
    }

    private Map<String, Object> outboxRow(String recipient) {
        return db.sql("SELECT status, attempts, last_error FROM mail_outbox WHERE recipient = :r")
                .bind("r", recipient).fetch().one().block();
    }
}
