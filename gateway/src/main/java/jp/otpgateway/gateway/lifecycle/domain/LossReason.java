package jp.otpgateway.gateway.lifecycle.domain;

/** Why the branch suspended a hardware token (000: 故障・紛失); a reissue after either is charged (R15). */
public enum LossReason {
    /** 紛失. */
    LOST,
    /** 故障・破損. */
    BROKEN
}
