package jp.otpgateway.gateway.shared.adapter.web;

import java.util.Locale;
import org.springframework.http.HttpStatus;

/**
 * The stable {@code code} of every problem the API answers (docs/api.md, Error codes), with the HTTP
 * status, an English title for developers and the Japanese message a portal may show as it is.
 * Codes are a contract: add, never rename.
 */
public enum ErrorCode {
    VALIDATION_FAILED(HttpStatus.BAD_REQUEST, "Validation failed", "入力内容に誤りがあります。"),
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "Unauthenticated", "認証できませんでした。APIキーを確認してください。"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "Forbidden", "この操作を行う権限がありません。"),
    TENANT_NOT_FOUND(HttpStatus.NOT_FOUND, "Tenant not found", "指定された信用組合は見つかりません。"),
    USER_NOT_FOUND(HttpStatus.NOT_FOUND, "User not found", "指定された利用者は登録されていません。"),
    TOKEN_NOT_FOUND(HttpStatus.NOT_FOUND, "Token not found", "指定されたシリアル番号のトークンは見つかりません。シリアル番号をご確認ください。"),
    CONTRACT_NOT_FOUND(HttpStatus.NOT_FOUND, "Contract not found", "指定された契約者は見つかりません。"),
    TRANSACTION_NOT_FOUND(HttpStatus.NOT_FOUND, "Transaction not found", "指定されたお取引は見つかりません。"),
    SHIPMENT_NOT_FOUND(HttpStatus.NOT_FOUND, "Shipment not found", "指定された発送依頼は見つかりません。"),
    PSKC_KEY_NOT_FOUND(HttpStatus.NOT_FOUND, "PSKC key not found", "指定された名前の転送鍵は登録されていません。"),
    DATA_KEY_NOT_FOUND(HttpStatus.NOT_FOUND, "Data key not found", "指定された鍵IDのデータ鍵は登録されていません。"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "Not found", "指定されたURLは存在しません。"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed", "このURLでは指定のメソッドを使用できません。"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Not acceptable", "指定された形式では応答できません。application/json を指定してください。"),
    OTP_NOT_ACTIVE(HttpStatus.CONFLICT, "OTP not active", "ワンタイムパスワードのご利用が開始されていません。"),
    ALREADY_ACTIVE(HttpStatus.CONFLICT, "Already active", "すでにワンタイムパスワードをご利用中です。"),
    NOT_ISSUED(HttpStatus.CONFLICT, "Not issued", "トークンが発行されていません。"),
    REISSUE_NOT_YET(HttpStatus.CONFLICT, "Reissue not yet possible",
            "トークンの再発行はまだお申し込みいただけません。表示された日時（有効期限の一定期間前）以降にお手続きください。"),
    ISSUANCE_COOLDOWN(HttpStatus.CONFLICT, "Issuance cool-down",
            "トークンの失効または利用解除の直後のため、まだ発行できません。表示された時刻以降に再度お手続きください。"),
    ISSUANCE_PENDING(HttpStatus.CONFLICT, "Issuance pending", "トークンはすでに発行手続き中です。"),
    TOKEN_RETIRED(HttpStatus.CONFLICT, "Token retired",
            "このトークンは利用解除または紛失・破損のお届けにより利用を終了しているため使用できません。新しいトークンの発行をお申し込みください。"),
    TOKEN_EXPIRED(HttpStatus.CONFLICT, "Token expired", "トークンの有効期限が切れています。再発行をお申し込みください。"),
    TOKEN_OTHER_CONTRACT(HttpStatus.CONFLICT, "Token of another contract", "このトークンは他のご契約者様が使用しているため登録できません。"),
    TOKEN_IN_USE(HttpStatus.CONFLICT, "Token in use", "このトークンはすでに使用されているため登録できません。"),
    KIND_MISMATCH(HttpStatus.CONFLICT, "Kind mismatch",
            "ご利用中のトークンと種類が異なります。現在のトークンの利用解除後にお手続きください。"),
    SHIPMENT_CLOSED(HttpStatus.CONFLICT, "Shipment closed", "この発送依頼はすでに処理済みです。"),
    CONTRACT_CHANGE_REFUSED(HttpStatus.CONFLICT, "Contract change refused",
            "トークンをご利用中（または発行手続き中）の利用者は契約者を変更できません。"),
    IDEMPOTENCY_KEY_REUSED(HttpStatus.CONFLICT, "Idempotency key reused",
            "同じ Idempotency-Key で異なる内容のリクエストが送信されました。新しいキーを使用してください。"),
    IDEMPOTENCY_KEY_IN_USE(HttpStatus.CONFLICT, "Idempotency key in use",
            "同じ Idempotency-Key のリクエストを処理中です。しばらくしてから再度お試しください。"),
    DATA_KEY_PRIMARY(HttpStatus.CONFLICT, "Data key primary",
            "この鍵は現在（または切替後に）暗号化に使用される鍵のため削除できません。"),
    DATA_KEY_IN_USE(HttpStatus.CONFLICT, "Data key in use",
            "この鍵で暗号化されたシードが残っているため削除できません。再暗号化の完了後に削除してください。"),
    ROTATION_PENDING(HttpStatus.CONFLICT, "Rotation pending",
            "前回の鍵の切替が完了していません（新しい鍵の使用開始前、または再暗号化中）。完了後に再度お試しください。"),
    RESEAL_PENDING(HttpStatus.CONFLICT, "Reseal pending",
            "旧鍵で暗号化されたシードが残っています。再暗号化の完了後に鍵の破棄を申請してください。"),
    DESTRUCTION_NOT_CONFIRMED(HttpStatus.CONFLICT, "Destruction not confirmed",
            "鍵の破棄を確認できませんでした。破棄の申請から確認コードの有効期限内に、正しい確認コードを指定してください。"),
    TENANT_KEYS_DESTROYED(HttpStatus.GONE, "Tenant keys destroyed",
            "この信用組合の暗号鍵は破棄されたため、ワンタイムパスワードのサービスはご利用いただけません。"),
    OTP_INVALID(HttpStatus.UNPROCESSABLE_CONTENT, "OTP invalid", "ワンタイムパスワードが正しくありません。"),
    OTP_REPLAYED(HttpStatus.UNPROCESSABLE_CONTENT, "OTP already used",
            "このワンタイムパスワードはすでに使用されています。次に表示されるパスワードを入力してください。"),
    OTP_LOCKED(HttpStatus.LOCKED, "OTP locked",
            "ワンタイムパスワードの認証が停止されています。利用停止解除のお手続きをお願いします。"),
    TOKEN_REVOKED(HttpStatus.CONFLICT, "Token revoked",
            "ワンタイムパスワードが失効しているため、ご利用いただけません。新しいトークンの利用開始登録を行ってください。"),
    TOKEN_SUSPENDED(HttpStatus.LOCKED, "Token suspended",
            "トークンの紛失・破損のお届けにより、ワンタイムパスワードのご利用を停止しています。再発行または利用解除のお手続きが完了するまで、お取引いただけません。"),
    TOKEN_NOT_SUSPENDED(HttpStatus.CONFLICT, "Token not suspended",
            "紛失・破損のお届けがないため、再発行手続き（紛失・破損）は行えません。"),
    RESYNC_DISABLED(HttpStatus.CONFLICT, "Resync disabled",
            "この信用組合ではトークンの時刻補正を行っていません。お取引店にお問い合わせください。"),
    OTP_REQUIRED(HttpStatus.PRECONDITION_REQUIRED, "OTP required", "ワンタイムパスワードの入力が必要です。"),
    ACTIVATION_REQUIRED(HttpStatus.PRECONDITION_REQUIRED, "Activation required",
            "ハードウェアトークンの利用開始日を過ぎています。ワンタイムパスワード利用開始登録（ハードウェアトークン）を行ってください。"),
    LIMIT_EXCEEDED(HttpStatus.UNPROCESSABLE_CONTENT, "Limit exceeded",
            "ワンタイムパスワードをご利用でないため、1日の振込限度額を超えるお取引はできません。"),
    SETUP_FAILED(HttpStatus.UNPROCESSABLE_CONTENT, "App setup failed",
            "サービスID、ユーザID、利用開始パスワードをご確認ください。誤りが続いた場合や初期設定が済んでいる場合は、"
                    + "トークン発行のお手続きからやり直してください。"),
    PSKC_INVALID(HttpStatus.UNPROCESSABLE_CONTENT, "PSKC file invalid",
            "PSKCファイルを取り込めません。ファイル全体を取り込んでいません（errors の内容をご確認ください）。"),
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "Rate limited",
            "ただいまアクセスが集中しています。しばらくしてから再度お試しください。"),
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
        return "urn:otp-gateway:problem:" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
