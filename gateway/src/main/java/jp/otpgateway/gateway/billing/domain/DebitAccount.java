package jp.otpgateway.gateway.billing.domain;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;
import jp.otpgateway.gateway.shared.domain.Validation;

/**
 * 代表口座 (002: 毎月１０日、代表口座より引落): the contract's account at the credit union that the
 * fees are debited from, as a Japanese debit file needs it: branch code (店番, 3 digits), type
 * (普通 ORDINARY / 当座 CHECKING) and account number (7 digits). The account number never appears in
 * a log: {@link #toString()} masks it.
 */
public record DebitAccount(String branchCode, Type type, String accountNumber) {

    public enum Type { ORDINARY, CHECKING }

    static final Pattern BRANCH = Pattern.compile("[0-9]{3}");
    static final Pattern NUMBER = Pattern.compile("[0-9]{7}");

    public DebitAccount {
        Objects.requireNonNull(type, "type");
        if (!BRANCH.matcher(branchCode).matches() || !NUMBER.matcher(accountNumber).matches()) {
            throw new IllegalArgumentException("a branch code of 3 digits and an account number of 7");
        }
    }

    /** Reads the three fields strictly (half-width digits, no padding added); every bad field is reported. */
    public static DebitAccount read(Validation v, String branchCode, String type, String accountNumber) {
        String branch = v.matching("branchCode", "店番", branchCode, BRANCH, "半角数字3桁");
        Type t = v.oneOf("accountType", "預金種目", type,
                text -> Arrays.stream(Type.values()).filter(x -> x.name().equals(text)).findFirst(), "ORDINARY, CHECKING");
        String number = v.matching("accountNumber", "口座番号", accountNumber, NUMBER, "半角数字7桁");
        return branch == null || t == null || number == null ? null : new DebitAccount(branch, t, number);
    }

    /** The last three digits only, for screens and answers. */
    public String maskedNumber() {
        return "****" + accountNumber.substring(4);
    }

    @Override
    public String toString() {
        return "DebitAccount[branchCode=" + branchCode + ", type=" + type + ", accountNumber=" + maskedNumber() + "]";
    }
}
