package jp.otpgateway.tenant.model;

/** ソフトウェアトークン (phone app) or ハードウェアトークン (key fob). */
public enum TokenKind {
    SOFTWARE,
    HARDWARE
}
