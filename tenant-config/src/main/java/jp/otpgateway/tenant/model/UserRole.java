package jp.otpgateway.tenant.model;

/** マスターユーザ / 管理者ユーザ / 一般ユーザ. */
public enum UserRole {
    MASTER,
    ADMIN,
    GENERAL
}
