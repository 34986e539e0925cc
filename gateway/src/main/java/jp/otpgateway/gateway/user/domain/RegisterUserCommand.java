package jp.otpgateway.gateway.user.domain;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import jp.otpgateway.gateway.shared.domain.Identifiers;
import jp.otpgateway.gateway.shared.domain.Validation;
import jp.otpgateway.tenant.model.UserRole;

/** Create or update a user (PUT …/users/{loginId}); valid once constructed through {@link #of}. */
public record RegisterUserCommand(
        String tenantId, String loginId, String contractId, String name, UserRole role, Optional<String> email) {

    public static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(\\.[A-Za-z0-9-]{1,63})+");
    static final int NAME_MAX = 100;
    public static final int EMAIL_MAX = 254;

    public static RegisterUserCommand of(
            String tenantId, String loginId, String contractId, String name, String role, String email) {
        Validation v = new Validation();
        String login = Identifiers.loginId(v, "loginId", loginId);
        String contract = Identifiers.contractId(v, "contractId", contractId);
        String checkedName = v.text("name", "氏名", name, NAME_MAX);
        UserRole checkedRole = v.oneOf("role", "権限", role, RegisterUserCommand::role, "MASTER, ADMIN, GENERAL");
        Optional<String> checkedEmail = Optional.empty();
        if (email != null) {
            String address = v.matching("email", "メールアドレス", email, EMAIL, "例: taro@example.jp");
            if (address != null && address.length() > EMAIL_MAX) {
                v.text("email", "メールアドレス", address, EMAIL_MAX);
            }
            checkedEmail = Optional.ofNullable(address);
        }
        v.throwIfAny();
        return new RegisterUserCommand(tenantId, login, contract, checkedName, checkedRole, checkedEmail);
    }

    private static Optional<UserRole> role(String text) {
        return Arrays.stream(UserRole.values()).filter(r -> r.name().equals(text)).findFirst();
    }
}
