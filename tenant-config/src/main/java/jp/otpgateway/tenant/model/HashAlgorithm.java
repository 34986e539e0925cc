package jp.otpgateway.tenant.model;

/** HMAC hash of RFC 6238 §1.2; the JCA name is what {@code javax.crypto.Mac} expects. */
public enum HashAlgorithm {
    SHA1("HmacSHA1"),
    SHA256("HmacSHA256"),
    SHA512("HmacSHA512");

    private final String macName;

    HashAlgorithm(String macName) {
        this.macName = macName;
    }

    public String macName() {
        return macName;
    }
}
