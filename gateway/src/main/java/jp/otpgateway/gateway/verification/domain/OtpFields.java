package jp.otpgateway.gateway.verification.domain;

import java.util.TreeSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import jp.otpgateway.gateway.shared.domain.Identifiers;
import jp.otpgateway.gateway.shared.domain.FieldViolation;
import jp.otpgateway.gateway.shared.domain.Validation;

/** The request fields of the token lifecycle, read strictly (R1, R5) with Japanese messages. */
public final class OtpFields {

    /** Users one administrator call may name. */
    public static final int MAX_SELECTED_USERS = 100;

    private OtpFields() {
    }

    /** A code: 6–8 half-width digits (full-width ones mapped where the tenant allows). */
    public static String otp(Validation v, String field, String value, boolean normalize) {
        if (v.required(field, "ワンタイムパスワード", value) == null) {
            return null;
        }
        return optionalOtp(v, field, value, normalize).orElse(null);
    }

    public static Optional<String> optionalOtp(Validation v, String field, String value, boolean normalize) {
        if (value == null) {
            return Optional.empty();
        }
        Optional<String> code = OtpInput.read(value, normalize);
        if (code.isEmpty()) {
            v.add(new FieldViolation(field, FieldViolation.INVALID_FORMAT,
                    "ワンタイムパスワードは半角数字6〜8桁で入力してください。"));
        }
        return code;
    }

    /** R5: the serial printed on the back of a hardware token, 8–12 half-width digits. */
    public static String serial(Validation v, String field, String value, boolean normalize) {
        if (v.required(field, "シリアル番号", value) == null) {
            return null;
        }
        Optional<String> serial = OtpInput.digits(value, normalize, 8, 12);
        if (serial.isEmpty()) {
            v.add(new FieldViolation(field, FieldViolation.INVALID_FORMAT,
                    "シリアル番号は半角数字8〜12桁で入力してください。"));
        }
        return serial.orElse(null);
    }

    /** One of the tenant's operation names (the API's {@code operation}/{@code type}). */
    public static String operation(Validation v, String field, String value, Set<String> known) {
        if (v.required(field, "操作種別", value) == null) {
            return null;
        }
        if (!known.contains(value)) {
            v.add(new FieldViolation(field, FieldViolation.INVALID_VALUE,
                    "操作種別はこの信用組合で定義された値（" + String.join(", ", new TreeSet<>(known))
                            + "）のいずれかを指定してください。"));
            return null;
        }
        return value;
    }

    /** 1 to {@value #MAX_SELECTED_USERS} login IDs, each well-formed; duplicates collapse. */
    public static List<String> loginIds(Validation v, String field, List<String> values) {
        if (values == null || values.isEmpty()) {
            v.add(new FieldViolation(field, FieldViolation.REQUIRED, "対象の利用者を1人以上指定してください。"));
            return List.of();
        }
        if (values.size() > MAX_SELECTED_USERS) {
            v.add(new FieldViolation(field, FieldViolation.TOO_LONG,
                    "対象の利用者は" + MAX_SELECTED_USERS + "人以内で指定してください。"));
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String id = Identifiers.loginId(v, field + "[" + i + "]", values.get(i));
            if (id != null) {
                ids.add(id);
            }
        }
        return new ArrayList<>(ids);
    }
}
