-- Software tokens (R2, R3, R11, R14) and the mail outbox (R2 issuance mail, R13 expiry notices,
-- R7 lock notices).

-- R2: one issuance of a software token: the pending token (a row of tokens, kind SOFTWARE) with the
-- IDs the app's setup sends and a salted slow hash of the activation password (never the password).
-- SETUP_PENDING: the app has not fetched the token yet. PROVISIONED: it has, once; the user
-- activates next (R3). COMPLETED: activated. VOID: too many wrong activation passwords; the user
-- issues again. attempts: activation password checks started (reserved before the check, so
-- parallel guesses cannot exceed max_attempts); failures: checks that found a wrong password.
CREATE TABLE software_issuances (
    tenant_id        varchar(32)  NOT NULL,
    issuance_id      bigint       GENERATED ALWAYS AS IDENTITY,
    login_id         varchar(64)  NOT NULL,
    serial           varchar(12)  NOT NULL,
    service_id       char(8)      NOT NULL CHECK (service_id ~ '^[0-9]{8}$'),
    app_user_id      char(12)     NOT NULL CHECK (app_user_id ~ '^[0-9]{12}$'),
    password_hash    varchar(200) NOT NULL,
    email            varchar(254) NOT NULL,
    reissue          boolean      NOT NULL,
    status           varchar(13)  NOT NULL
        CHECK (status IN ('SETUP_PENDING', 'PROVISIONED', 'COMPLETED', 'VOID')),
    max_attempts     smallint     NOT NULL CHECK (max_attempts BETWEEN 1 AND 10),
    attempts         smallint     NOT NULL DEFAULT 0 CHECK (attempts <= max_attempts),
    failures         smallint     NOT NULL DEFAULT 0,
    issued_at        timestamptz  NOT NULL,
    provisioned_at   timestamptz,
    closed_at        timestamptz,
    PRIMARY KEY (tenant_id, issuance_id),
    FOREIGN KEY (tenant_id, login_id) REFERENCES users (tenant_id, login_id),
    FOREIGN KEY (tenant_id, serial) REFERENCES tokens (tenant_id, serial)
);

-- The IDs are unique within the tenant (R2); the app sends no tenant, so the pair finds the row.
CREATE UNIQUE INDEX software_issuances_service_id ON software_issuances (tenant_id, service_id);
CREATE UNIQUE INDEX software_issuances_app_user_id ON software_issuances (tenant_id, app_user_id);
CREATE UNIQUE INDEX software_issuances_app_setup ON software_issuances (service_id, app_user_id);
CREATE UNIQUE INDEX software_issuances_one_open ON software_issuances (tenant_id, login_id)
    WHERE status IN ('SETUP_PENDING', 'PROVISIONED');
CREATE INDEX software_issuances_by_serial ON software_issuances (tenant_id, serial);

-- R11: a software token user may set up the app again only from the next day; the last software
-- deactivation of the user is read by kind.
CREATE INDEX assignments_ended ON assignments (tenant_id, login_id, ended_at) WHERE state = 'DEACTIVATED';

-- Every mail the gateway sends, written in the same transaction as the state change it reports and
-- delivered by MailOutboxSender (at least once; the Message-ID is stable per row). The text is
-- rendered when it is sent, from the template of mail_type and the row's fields.
-- dedup_key: one row per key and tenant (expiry notices: token, user and notice day), so several
-- instances or a re-run of the job cannot queue a notice twice.
CREATE TABLE mail_outbox (
    tenant_id       varchar(32)  NOT NULL,
    mail_id         bigint       GENERATED ALWAYS AS IDENTITY,
    mail_type       varchar(20)  NOT NULL
        CHECK (mail_type IN ('SOFTWARE_ISSUED', 'EXPIRY_NOTICE', 'LOCK_NOTICE')),
    recipient       varchar(254) NOT NULL,
    login_id        varchar(64),
    serial          varchar(12),
    service_id      char(8),
    app_user_id     char(12),
    expires_at      timestamptz,
    notice_days     smallint,
    dedup_key       varchar(120),
    status          varchar(7)   NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
    attempts        integer      NOT NULL DEFAULT 0,
    created_at      timestamptz  NOT NULL,
    next_attempt_at timestamptz  NOT NULL,
    lease_until     timestamptz,
    sent_at         timestamptz,
    last_error      varchar(300),
    PRIMARY KEY (tenant_id, mail_id)
);

CREATE UNIQUE INDEX mail_outbox_dedup ON mail_outbox (tenant_id, dedup_key);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'PENDING';
