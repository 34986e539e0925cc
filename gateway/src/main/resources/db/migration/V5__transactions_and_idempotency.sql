-- Transaction decisions (R9, R10) and the fallback limit's daily usage, kept in PostgreSQL so that
-- they are exact under concurrency and survive a Redis loss or a gateway restart.

-- Every APPROVED decision. charged: the amount counts against the user's fallback limit of
-- business_date (the calendar day in the tenant's time zone at the decision).
CREATE TABLE transactions (
    tenant_id        varchar(32) NOT NULL,
    transaction_id   uuid        NOT NULL DEFAULT gen_random_uuid(),
    login_id         varchar(64) NOT NULL,
    type             varchar(40) NOT NULL,
    amount           bigint      NOT NULL CHECK (amount >= 0),
    payee_registered boolean     NOT NULL,
    otp_verified     boolean     NOT NULL,
    charged          boolean     NOT NULL,
    business_date    date        NOT NULL,
    decided_at       timestamptz NOT NULL,
    client           varchar(64) NOT NULL,
    cancelled_at     timestamptz,
    PRIMARY KEY (tenant_id, transaction_id),
    CHECK (NOT (charged AND otp_verified))
);

CREATE INDEX transactions_by_user ON transactions (tenant_id, login_id, business_date);

-- The sum of the charged, not cancelled amounts per user and day. One row per user and day: the
-- conditional upsert that charges it takes the row lock, so parallel requests cannot together pass
-- the limit.
CREATE TABLE daily_usage (
    tenant_id     varchar(32) NOT NULL,
    login_id      varchar(64) NOT NULL,
    business_date date        NOT NULL,
    used          bigint      NOT NULL CHECK (used >= 0),
    PRIMARY KEY (tenant_id, login_id, business_date)
);

-- Idempotency-Key (api.md): the first answer to a POST, replayed to a retry with the same key and
-- body. status IS NULL while the first request is still being answered; lease_until bounds how
-- long a claim of a crashed instance blocks the key.
CREATE TABLE idempotency_records (
    tenant_id    varchar(32)  NOT NULL,
    client       varchar(64)  NOT NULL,
    idem_key     varchar(64)  NOT NULL,
    fingerprint  bytea        NOT NULL,
    status       smallint,
    content_type varchar(100),
    body         bytea,
    created_at   timestamptz  NOT NULL,
    lease_until  timestamptz  NOT NULL,
    expires_at   timestamptz  NOT NULL,
    PRIMARY KEY (tenant_id, client, idem_key)
);

CREATE INDEX idempotency_records_expiry ON idempotency_records (expires_at);
