package jp.otpgateway.tenant.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import jp.otpgateway.tenant.model.TenantConfig;
import jp.otpgateway.tenant.model.TokenKind;
import jp.otpgateway.tenant.model.UserRole;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The samples shipped in tenant-config/tenants follow the manuals (docs/domain.md) as the README says. */
class SampleTenantsTest {

    static Map<String, TenantConfig> samples;

    @BeforeAll
    static void load() throws Exception {
        TenantDirectory.Scan scan = new TenantDirectory().scan(Path.of("tenants"));
        assertThat(scan.problems()).isEmpty();
        samples = scan.valid();
    }

    @Test
    void threeSamplesAllWithTheTwoHundredThousandYenFallback() {
        assertThat(samples).hasSize(3);
        samples.values().forEach(t -> assertThat(t.withoutOtp().dailyTransferLimit()).isEqualTo(200_000));
    }

    @Test
    void sakuraAsksOtpAtLoginWithThe002OperationsAndMasterOrAdminUnlock() {
        TenantConfig t = samples.get("sakura-shinkumi");
        assertThat(t.operation("LOGIN")).hasValueSatisfying(op -> assertThat(op.otpRequired()).isTrue());
        assertThat(t.operations().keySet()).contains("TOKEN_REVOCATION", "BULK_TRANSFER", "BULK_TRANSFER_FILE",
                "PAYMENT", "PAYROLL_TRANSFER", "PAYROLL_TRANSFER_FILE", "TRANSFER", "USER_PERMISSION_CHANGE");
        assertThat(t.lockout().unlockBy()).containsExactlyInAnyOrder(UserRole.MASTER, UserRole.ADMIN);
    }

    @Test
    void kaedeExemptsRegisteredPayeesAndOnlyMastersUnlock() {
        TenantConfig t = samples.get("kaede-shinkumi");
        assertThat(t.operation("TRANSFER")).hasValueSatisfying(op -> assertThat(op.exemptRegisteredPayee()).isTrue());
        assertThat(t.lockout().unlockBy()).containsExactly(UserRole.MASTER);
        assertThat(t.tokens().kinds()).containsExactly(TokenKind.HARDWARE);
    }

    @Test
    void aobaUnlocksByOperatorOnly() {
        TenantConfig t = samples.get("aoba-shinkumi");
        assertThat(t.lockout().operatorOnly()).isTrue();
        assertThat(t.operation("LOGIN")).hasValueSatisfying(op -> assertThat(op.otpRequired()).isFalse());
    }
}
