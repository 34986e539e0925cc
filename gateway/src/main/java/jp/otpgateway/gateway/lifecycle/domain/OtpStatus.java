package jp.otpgateway.gateway.lifecycle.domain;

/** R16: the statuses shown to users and administrators, with the manuals' wording. */
public enum OtpStatus {
    UNREGISTERED("未登録"),
    ISSUED("トークン発行済"),
    ACTIVE("サービス利用中"),
    LOCKED("停止中"),
    REVOKED("失効中"),
    /** Reported lost or broken at the branch (000: 故障・紛失); api.md's wording. */
    SUSPENDED("利用停止中（紛失・破損）"),
    EXPIRED("トークン有効期限切れ");

    private final String label;

    OtpStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** R10: every status but ACTIVE and LOCKED leaves the user without a usable OTP. */
    public boolean hasActiveOtp() {
        return this == ACTIVE || this == LOCKED;
    }
}
