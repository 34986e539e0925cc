package jp.otpgateway.gateway.adapter.web;

import org.springframework.http.HttpStatus;

/**
 * The stable {@code code} of every problem the API answers (api.md, Error codes), with the HTTP
 * status, an English title for developers and the Japanese message a portal may show as it is.
 * Codes are a contract: add, never rename.
 */
public enum ErrorCode {
    VALIDATION_FAILED(HttpStatus.BAD_REQUEST, "Validation failed", "入力内容に誤りがあります。"),
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "Unauthenticated", "認証できませんでした。APIキーを確認してください。"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "Forbidden", "この操作を行う権限がありません。"),
    TENANT_NOT_FOUND(HttpStatus.NOT_FOUND, "Tenant not found", "指定された信用組合は見つかりません。"),
    USER_NOT_FOUND(HttpStatus.NOT_FOUND, "User not found", "指定された利用者は登録されていません。"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "Not found", "指定されたURLは存在しません。"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed", "このURLでは指定のメソッドを使用できません。"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Not acceptable", "指定された形式では応答できません。application/json を指定してください。"),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Payload too large", "リクエストのサイズが上限を超えています。"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
            "Content-Type が正しくありません。application/json で送信してください。"),
    UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
            "ただいまサービスをご利用いただけません。しばらくしてから再度お試しください。"),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "システムエラーが発生しました。");

    private final HttpStatus status;
    private final String title;
    private final String message;

    ErrorCode(HttpStatus status, String title, String message) {
        this.status = status;
        this.title = title;
        this.message = message;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String message() {
        return message;
    }

    /** RFC 9457 {@code type}: a stable URI per code. */
    public String type() {
        return "urn:otp-gateway:problem:" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
