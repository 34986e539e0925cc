-- Token inventory. The seed is sealed with Tink AEAD (associated data = tenant + serial); lock,
-- failure count and last accepted step are the durable copy of the Redis fast path (architecture.md).

CREATE TABLE tokens (
    tenant_id      varchar(32) NOT NULL,
    serial         varchar(12) NOT NULL CHECK (serial ~ '^[0-9]{8,12}$'),
    kind           varchar(8)  NOT NULL CHECK (kind IN ('HARDWARE', 'SOFTWARE')),
    seed_sealed    bytea       NOT NULL,
    algorithm      varchar(6)  NOT NULL CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
    digits         smallint    NOT NULL CHECK (digits IN (6, 8)),
    period_seconds smallint    NOT NULL CHECK (period_seconds BETWEEN 15 AND 300),
    expires_at     timestamptz NOT NULL,
    imported_at    timestamptz NOT NULL,
    locked         boolean     NOT NULL DEFAULT false,
    failure_count  integer     NOT NULL DEFAULT 0,
    last_used_step bigint      NOT NULL DEFAULT -1,
    PRIMARY KEY (tenant_id, serial)
);

CREATE INDEX tokens_by_expiry ON tokens (tenant_id, expires_at);
