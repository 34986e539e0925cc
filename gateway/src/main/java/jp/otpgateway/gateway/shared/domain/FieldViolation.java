package jp.otpgateway.gateway.shared.domain;

/** One field of a request that is missing or malformed: {@code field} as the client named it, a stable code, Japanese text. */
public record FieldViolation(String field, String code, String message) {

    public static final String REQUIRED = "REQUIRED";
    public static final String INVALID_FORMAT = "INVALID_FORMAT";
    public static final String TOO_LONG = "TOO_LONG";
    public static final String INVALID_VALUE = "INVALID_VALUE";
}
