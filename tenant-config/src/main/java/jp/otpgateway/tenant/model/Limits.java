package jp.otpgateway.tenant.model;

/** Per-tenant isolation: rate limit and bulkhead, so one credit union's storm cannot starve the others. */
public record Limits(int requestsPerSecond, int concurrentRequests) {
}
