package jp.otpgateway.gateway.lifecycle.domain;

import java.util.Optional;
import jp.otpgateway.gateway.verification.domain.OtpInput;
import jp.otpgateway.gateway.user.domain.RegisterUserCommand;
import jp.otpgateway.gateway.shared.domain.FieldViolation;
import jp.otpgateway.gateway.shared.domain.Validation;
import jp.otpgateway.tenant.model.Tokens;

/** The request fields of a software token's issuance (R2) and of the app's setup, with Japanese messages. */
public final class SoftwareFields {

    private SoftwareFields() {
    }

    /** R2: the mobile mail address the issuance mail goes to. */
    public static String email(Validation v, String field, String value) {
        String address = v.matching(field, "携帯電話メールアドレス", value, RegisterUserCommand.EMAIL, "例: taro@example.jp");
        if (address != null && address.length() > RegisterUserCommand.EMAIL_MAX) {
            v.add(new FieldViolation(field, FieldViolation.TOO_LONG,
                    "携帯電話メールアドレスは" + RegisterUserCommand.EMAIL_MAX + "文字以内で入力してください。"));
            return null;
        }
        return address;
    }

    /** R2: 利用開始パスワード, digits only, as many as the tenant allows (4–8 by default). */
    public static String activationPassword(Validation v, String field, String value, Tokens.Software software,
                                            boolean normalize) {
        if (v.required(field, "利用開始パスワード", value) == null) {
            return null;
        }
        int min = software.activationPasswordMinDigits();
        int max = software.activationPasswordMaxDigits();
        Optional<String> digits = OtpInput.digits(value, normalize, min, max);
        if (digits.isEmpty()) {
            v.add(new FieldViolation(field, FieldViolation.INVALID_FORMAT,
                    "利用開始パスワードは半角数字" + (min == max ? min + "桁" : min + "〜" + max + "桁") + "で入力してください。"));
        }
        return digits.orElse(null);
    }

    /** The app's setup: any 4–8 digits (the tenant is not known before the IDs are found). */
    public static String setupPassword(Validation v, String field, String value) {
        if (v.required(field, "利用開始パスワード", value) == null) {
            return null;
        }
        Optional<String> digits = OtpInput.digits(value, true, 4, 8);
        if (digits.isEmpty()) {
            v.add(new FieldViolation(field, FieldViolation.INVALID_FORMAT,
                    "利用開始パスワードは半角数字4〜8桁で入力してください。"));
        }
        return digits.orElse(null);
    }

    /** サービスID: 8 half-width digits. */
    public static String serviceId(Validation v, String field, String value) {
        return fixedDigits(v, field, "サービスID", value, 8);
    }

    /** ユーザID of the app: 12 half-width digits. */
    public static String appUserId(Validation v, String field, String value) {
        return fixedDigits(v, field, "ユーザID", value, 12);
    }

    private static String fixedDigits(Validation v, String field, String label, String value, int length) {
        if (v.required(field, label, value) == null) {
            return null;
        }
        Optional<String> digits = OtpInput.digits(value, true, length, length);
        if (digits.isEmpty()) {
            v.add(new FieldViolation(field, FieldViolation.INVALID_FORMAT,
                    label + "は半角数字" + length + "桁で入力してください。"));
        }
        return digits.orElse(null);
    }
}
