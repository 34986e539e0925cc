package jp.otpgateway.tenant.model;

/** R9: whether an operation needs an OTP, whether it moves money, and the registered-payee exemption (004). */
public record OperationPolicy(String name, boolean otpRequired, boolean moneyMovement, boolean exemptRegisteredPayee) {
}
