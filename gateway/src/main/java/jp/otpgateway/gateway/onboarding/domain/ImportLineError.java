package jp.otpgateway.gateway.onboarding.domain;

/** A row of the delivery file that was not imported: its line number, a stable code, Japanese text. */
public record ImportLineError(long line, String code, String message) {
}
