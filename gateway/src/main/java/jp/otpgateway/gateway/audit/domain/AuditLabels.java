package jp.otpgateway.gateway.audit.domain;

import java.util.Map;
import java.util.Optional;

/**
 * The Japanese a clerk reads next to the audit's codes (the codes stay the record). Operations of
 * the tenant's own list (LOGIN, TRANSFER…) carry the portal's names; the labels below are those of
 * the lifecycle and the attempts' outcomes.
 */
public final class AuditLabels {

    private static final Map<String, String> OPERATIONS = Map.ofEntries(
            Map.entry("LOGIN", "ログイン"),
            Map.entry("TRANSFER", "振込"),
            Map.entry("ACTIVATION", "利用開始登録"),
            Map.entry("DEACTIVATION", "利用解除"),
            Map.entry("REVOCATION", "失効"),
            Map.entry("UNLOCK", "利用停止解除"),
            Map.entry("ISSUANCE", "トークン発行申込"),
            Map.entry("REISSUE", "トークン再発行"),
            Map.entry("SHIPMENT", "トークン発送"),
            Map.entry("RETIREMENT", "トークン利用終了"),
            Map.entry("SUSPENSION", "紛失・破損届"),
            Map.entry("PROVISIONING", "アプリ設定"),
            Map.entry("TOKEN_REVOCATION", "トークン失効（管理者）"),
            Map.entry("BILLING_CLOSING", "手数料月次締め"),
            Map.entry("DEBIT_ACCOUNT", "代表口座登録"),
            Map.entry("RESYNC", "時刻補正（連続2回のワンタイムパスワード）"),
            Map.entry("PSKC_KEY", "PSKC転送鍵"),
            Map.entry("DATA_KEY", "シード暗号鍵"));

    private static final Map<String, String> OUTCOMES = Map.ofEntries(
            Map.entry("ACCEPTED", "認証成功"),
            Map.entry("INVALID", "認証失敗（入力誤り）"),
            Map.entry("REPLAYED", "認証失敗（使用済み）"),
            Map.entry("LOCKED", "利用停止中"),
            Map.entry("ACTIVATED", "利用開始"),
            Map.entry("DEACTIVATED", "利用解除"),
            Map.entry("DEACTIVATED_BRANCH", "利用解除（窓口）"),
            Map.entry("REVOKED", "失効"),
            Map.entry("REVOKED_BRANCH", "失効（窓口）"),
            Map.entry("UNLOCKED", "利用停止解除"),
            Map.entry("SHIPPED", "発送"),
            Map.entry("RETIRED", "利用終了"),
            Map.entry("SUSPENDED_LOST", "利用停止（紛失）"),
            Map.entry("SUSPENDED_BROKEN", "利用停止（破損）"),
            Map.entry("REQUESTED_PORTAL", "申込（インターネットバンキング）"),
            Map.entry("REQUESTED_BRANCH", "申込（窓口）"),
            Map.entry("REQUESTED_AFTER_LOST", "再発行受付（紛失）"),
            Map.entry("REQUESTED_AFTER_BROKEN", "再発行受付（破損）"),
            Map.entry("LIMIT_EXCEEDED", "振込限度額超過"),
            Map.entry("SET", "登録"),
            Map.entry("STORED", "登録"),
            Map.entry("REMOVED", "削除"),
            Map.entry("ROTATED", "鍵の切替"),
            Map.entry("RESEAL_STARTED", "再暗号化の開始"),
            Map.entry("DESTRUCTION_REQUESTED", "鍵の破棄申請"),
            Map.entry("DESTROYED", "鍵の破棄（暗号学的消去）"));

    private AuditLabels() {
    }

    public static Optional<String> operation(String code) {
        return Optional.ofNullable(OPERATIONS.get(code));
    }

    public static Optional<String> outcome(String code) {
        if (code.startsWith("CLOSED_")) {
            return Optional.of("締め（" + code.substring("CLOSED_".length()) + "）");
        }
        return Optional.ofNullable(OUTCOMES.get(code));
    }
}
