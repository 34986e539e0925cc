package jp.otpgateway.gateway.shared.domain;

import java.util.regex.Pattern;

/** Character sets of the identifiers in paths and bodies (docs/api.md, General). */
public final class Identifiers {

    public static final Pattern TENANT_ID = Pattern.compile("[a-z0-9-]{2,32}");
    public static final Pattern LOGIN_ID = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    public static final Pattern CONTRACT_ID = LOGIN_ID;
    /** The clerk who handled a paper form at the branch; the same rule as the audit column's CHECK (V9). */
    public static final Pattern STAFF_ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");

    private static final String LOGIN_ID_RULE = "半角英数字と . _ @ - の1～64文字";

    private Identifiers() {
    }

    public static String loginId(Validation v, String field, String value) {
        return v.matching(field, "ログインID", value, LOGIN_ID, LOGIN_ID_RULE);
    }

    public static String contractId(Validation v, String field, String value) {
        return v.matching(field, "契約者ID", value, CONTRACT_ID, LOGIN_ID_RULE);
    }

    /** Required: every operator POST of a branch form names the clerk (docs/api.md, Branch operations). */
    public static String staffId(Validation v, String field, String value) {
        return v.matching(field, "担当者ID", value, STAFF_ID, "半角英数字と . _ - の1～32文字");
    }

    public static String tenantId(Validation v, String field, String value) {
        return v.matching(field, "信用組合ID", value, TENANT_ID, "半角英小文字・数字・ハイフンの2～32文字");
    }
}
