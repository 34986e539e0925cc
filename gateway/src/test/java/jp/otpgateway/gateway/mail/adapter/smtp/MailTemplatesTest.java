package jp.otpgateway.gateway.mail.adapter.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import jp.otpgateway.gateway.mail.application.port.MailOutbox;
import jp.otpgateway.gateway.lifecycle.domain.LifecycleFixtures;
import jp.otpgateway.tenant.model.Lockout;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.UserRole;
import org.junit.jupiter.api.Test;

class MailTemplatesTest {

    static final TenantConfig TENANT = LifecycleFixtures.tenant();
    final MailTemplates templates = new MailTemplates();

    static MailOutbox.Mail mail(MailOutbox.Type type, Optional<Instant> expiresAt, Optional<Integer> days) {
        return new MailOutbox.Mail("t-unit", 7, type, "taro@example.jp", Optional.of("taro"),
                Optional.of("101199980021"), Optional.of("10112235"), Optional.of("999800000001"), expiresAt, days, 1);
    }

    @Test
    void everyTypeRendersWithTheTenantsNameAndSender() {
        for (MailOutbox.Type type : MailOutbox.Type.values()) {
            MailTemplates.Rendered r = templates.render(mail(type, Optional.of(Instant.parse("2012-02-07T05:05:00Z")),
                    Optional.of(30)), TENANT);
            assertThat(r.subject()).startsWith("【単体テスト信用組合】");
            assertThat(r.from()).isEqualTo("otp@example.jp");
            assertThat(r.to()).isEqualTo("taro@example.jp");
            assertThat(r.body()).doesNotContain("{").endsWith("単体テスト信用組合\n");
        }
    }

    @Test
    void theExpiryIsWrittenAsTheManualsPrintItInTheTenantsZone() {
        MailTemplates.Rendered r = templates.render(mail(MailOutbox.Type.EXPIRY_NOTICE,
                Optional.of(Instant.parse("2012-02-07T05:05:00Z")), Optional.of(7)), TENANT);
        assertThat(r.body()).contains("有効期限：2012年02月07日 14時05分").contains("有効期限まで7日を切りました")
                .contains("シリアル番号：101199980021");
    }

    @Test
    void theLockNoticeSaysWhoUnlocksAsTheTenantDecided() {
        assertThat(MailTemplates.unlockGuidance(TENANT)).contains("マスターユーザまたは管理者ユーザ");
        assertThat(MailTemplates.unlockGuidance(withUnlockBy(Set.of(UserRole.MASTER))))
                .contains("ご契約先のマスターユーザの方").doesNotContain("管理者ユーザ");
        assertThat(MailTemplates.unlockGuidance(withUnlockBy(Set.of()))).isEqualTo("利用停止の解除は、お取引店の窓口でお手続きください。");
    }

    @Test
    void aMissingFieldIsAnErrorNotAGapInTheMail() {
        MailOutbox.Mail noIds = new MailOutbox.Mail("t-unit", 7, MailOutbox.Type.SOFTWARE_ISSUED, "taro@example.jp",
                Optional.of("taro"), Optional.of("1"), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 1);
        assertThatThrownBy(() -> templates.render(noIds, TENANT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{serviceId}");
    }

    private static TenantConfig withUnlockBy(Set<UserRole> roles) {
        TenantConfig t = TENANT;
        return new TenantConfig(t.id(), t.name(), t.timeZone(), t.otp(), new Lockout(5, roles, true), t.operations(),
                t.withoutOtp(), t.tokens(), t.notifications(), t.fees(), t.clients(), t.limits());
    }
}
