package jp.otpgateway.tenant.model;

/** R15, yen tax included. */
public record Fees(int freeTokensPerContract, long monthlyPerExtraToken, long reissue, int billingDay) {
}
