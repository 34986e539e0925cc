package jp.otpgateway.gateway.console.adapter.web;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a clerk does for one user from the user's page, each one call of the operator API
 * (docs/api.md "Branch operations"). The console adds nothing to the call but the clerk's staff ID.
 */
enum UserAction {

    ISSUANCE("issuance", "トークン発行の受付（書面）",
            "書面で受け付けたハードウェアトークンの発行依頼を登録します。発送待ちの一覧に載ります。", false, false, false),
    UNLOCK("unlock", "ロック解除",
            "トークンのロックを解除します。同じトークンを共有している利用者のロックも解除されます。", false, false, false),
    SUSPENSION("suspension", "紛失・破損の届出",
            "トークンを使えなくします。このトークンを共有しているすべての利用者が、再発行または利用解除まで取引できなくなります。",
            true, true, false),
    REISSUE("reissue", "再発行",
            "紛失・破損の届出があったトークンに代わる新しいトークンを発行します。再発行手数料が記録されます。", false, false, false),
    DEACTIVATION("deactivation", "利用解除",
            "利用者のワンタイムパスワードの利用を解除します。解除したトークンを同じ利用者が再び登録することはできません。",
            true, false, false),
    REVOCATION("revocation", "失効（利用停止）",
            "利用者のトークンを失効させます。一定期間、新しいトークンの発行を受け付けません。", true, false, false),
    RESYNC("resync", "時刻ずれの補正",
            "トークンに続けて表示された2つのワンタイムパスワードから、トークンの時刻のずれを補正します。", false, true, true);

    final String path;
    final String label;
    final String description;
    /** Shown with a warning: the user cannot transact afterwards until something else is done. */
    final boolean grave;
    /** Acts on the user's token, so the token's serial is part of the call. */
    final boolean needsSerial;
    /** Takes two codes read from the token (entered, never shown again). */
    final boolean takesCodes;

    UserAction(String path, String label, String description, boolean grave, boolean needsSerial, boolean takesCodes) {
        this.path = path;
        this.label = label;
        this.description = description;
        this.grave = grave;
        this.needsSerial = needsSerial;
        this.takesCodes = takesCodes;
    }

    static Optional<UserAction> byPath(String path) {
        return Arrays.stream(values()).filter(a -> a.path.equals(path)).findFirst();
    }

    public String getPath() {
        return path;
    }

    public String getLabel() {
        return label;
    }

    public String getDescription() {
        return description;
    }

    public boolean isGrave() {
        return grave;
    }

    public boolean isNeedsSerial() {
        return needsSerial;
    }

    public boolean isTakesCodes() {
        return takesCodes;
    }

    /** The API call: its path below {@code /operator} and its body. */
    record ApiCall(OperatorApi.Call call, Map<String, Object> body) {
    }

    ApiCall call(String loginId, String staffId, Map<String, String> form) {
        Map<String, Object> body = new HashMap<>();
        String serial = form.get("serial");
        switch (this) {
            case ISSUANCE -> {
                body.put("loginId", loginId);
                body.put("kind", "HARDWARE");
                return new ApiCall(OperatorApi.Call.of("/issuances"), body);
            }
            case UNLOCK -> {
                body.put("loginIds", List.of(loginId));
                body.put("staffId", staffId);
                return new ApiCall(OperatorApi.Call.of("/unlocks"), body);
            }
            case SUSPENSION -> {
                body.put("reason", form.get("reason"));
                body.put("staffId", staffId);
                return new ApiCall(OperatorApi.Call.of("/tokens/{serial}/suspension", serial), body);
            }
            case REISSUE -> {
                body.put("loginId", loginId);
                body.put("staffId", staffId);
                return new ApiCall(OperatorApi.Call.of("/reissues"), body);
            }
            case DEACTIVATION -> {
                body.put("staffId", staffId);
                return new ApiCall(OperatorApi.Call.of("/users/{login}/otp/deactivation", loginId), body);
            }
            case REVOCATION -> {
                body.put("staffId", staffId);
                return new ApiCall(OperatorApi.Call.of("/users/{login}/otp/revocation", loginId), body);
            }
            case RESYNC -> {
                body.put("otp1", form.get("otp1"));
                body.put("otp2", form.get("otp2"));
                body.put("staffId", staffId);
                return new ApiCall(OperatorApi.Call.of("/tokens/{serial}/resync", serial), body);
            }
            default -> throw new IllegalStateException(name());
        }
    }
}
