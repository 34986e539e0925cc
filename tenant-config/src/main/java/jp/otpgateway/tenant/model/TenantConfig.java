package jp.otpgateway.tenant.model;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One credit union's configuration, as a tenant administrator writes it in
 * {@code tenants/<id>.yaml}. Immutable; built only by the loader after every field validated.
 */
public record TenantConfig(
        String id,
        String name,
        ZoneId timeZone,
        OtpSettings otp,
        Lockout lockout,
        Map<String, OperationPolicy> operations,
        WithoutOtp withoutOtp,
        Tokens tokens,
        Notifications notifications,
        Fees fees,
        List<ApiClient> clients,
        Limits limits,
        AuditSettings audit) {

    /** A tenant with the audit's defaults (tests and tools that build one by hand). */
    public TenantConfig(String id, String name, ZoneId timeZone, OtpSettings otp, Lockout lockout,
                        Map<String, OperationPolicy> operations, WithoutOtp withoutOtp, Tokens tokens,
                        Notifications notifications, Fees fees, List<ApiClient> clients, Limits limits) {
        this(id, name, timeZone, otp, lockout, operations, withoutOtp, tokens, notifications, fees, clients, limits,
                AuditSettings.DEFAULTS);
    }

    public TenantConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(otp, "otp");
        Objects.requireNonNull(lockout, "lockout");
        operations = Map.copyOf(operations);
        Objects.requireNonNull(withoutOtp, "withoutOtp");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(notifications, "notifications");
        Objects.requireNonNull(fees, "fees");
        clients = List.copyOf(clients);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(audit, "audit");
    }

    /** The operation of that name, if this tenant knows it (the API's {@code type}/{@code operation}). */
    public Optional<OperationPolicy> operation(String operationName) {
        return Optional.ofNullable(operations.get(operationName));
    }
}
