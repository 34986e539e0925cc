package jp.otpgateway.gateway.user.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import jp.otpgateway.tenant.model.UserRole;

/** 利用者: a portal login ID of one contract of one tenant. The portal owns passwords; we own OTP. */
public record User(
        String tenantId,
        String loginId,
        String contractId,
        String name,
        UserRole role,
        Optional<String> email,
        Instant createdAt,
        Instant updatedAt) {

    public User {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(loginId, "loginId");
        Objects.requireNonNull(contractId, "contractId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
