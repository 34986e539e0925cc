-- Token lifecycle: which user holds which token (assignments), hardware shipments (R4) and the
-- audit trail of every OTP attempt and lifecycle change. Every key starts with tenant_id
-- (architecture.md, Scaling).

-- contract_id: the contract a token belongs to from its first shipment or activation on; a physical
-- token never moves to another contract (R6). state_version: bumped by every change that resets the
-- lock (unlock), so a Redis copy built from older data is replaced (RedisOtpGuard).
ALTER TABLE tokens
    ADD COLUMN contract_id   varchar(64),
    ADD COLUMN retired_at    timestamptz,
    ADD COLUMN state_version bigint NOT NULL DEFAULT 0;

-- ACTIVE: the user verifies with the token. REVOKED (R12): stopped by MASTER/ADMIN, may be activated
-- again. DEACTIVATED (R11): the user left the token and may never activate it again. REPLACED (R13):
-- ended by the activation of a new token. ENDED: a revoked assignment superseded by a new activation.
CREATE TABLE assignments (
    tenant_id     varchar(32) NOT NULL,
    assignment_id bigint      GENERATED ALWAYS AS IDENTITY,
    login_id      varchar(64) NOT NULL,
    serial        varchar(12) NOT NULL,
    state         varchar(12) NOT NULL
        CHECK (state IN ('ACTIVE', 'REVOKED', 'DEACTIVATED', 'REPLACED', 'ENDED')),
    activated_at  timestamptz NOT NULL,
    revoked_at    timestamptz,
    ended_at      timestamptz,
    PRIMARY KEY (tenant_id, assignment_id),
    FOREIGN KEY (tenant_id, login_id) REFERENCES users (tenant_id, login_id),
    FOREIGN KEY (tenant_id, serial) REFERENCES tokens (tenant_id, serial)
);

-- A user holds at most one current (active or revoked) token: races between two activations end here.
CREATE UNIQUE INDEX assignments_one_current ON assignments (tenant_id, login_id)
    WHERE state IN ('ACTIVE', 'REVOKED');
CREATE INDEX assignments_by_serial ON assignments (tenant_id, serial)
    WHERE state IN ('ACTIVE', 'REVOKED');
CREATE INDEX assignments_deactivated ON assignments (tenant_id, login_id, serial)
    WHERE state = 'DEACTIVATED';

-- R4: a request for a hardware token (portal or branch form) until the operator ships a serial and
-- the user activates a token.
CREATE TABLE shipments (
    tenant_id    varchar(32) NOT NULL,
    shipment_id  bigint      GENERATED ALWAYS AS IDENTITY,
    login_id     varchar(64) NOT NULL,
    kind         varchar(8)  NOT NULL CHECK (kind IN ('HARDWARE')),
    channel      varchar(8)  NOT NULL CHECK (channel IN ('PORTAL', 'BRANCH')),
    reissue      boolean     NOT NULL,
    status       varchar(10) NOT NULL CHECK (status IN ('REQUESTED', 'SHIPPED', 'COMPLETED')),
    requested_at timestamptz NOT NULL,
    serial       varchar(12),
    shipped_at   timestamptz,
    completed_at timestamptz,
    PRIMARY KEY (tenant_id, shipment_id),
    FOREIGN KEY (tenant_id, login_id) REFERENCES users (tenant_id, login_id),
    FOREIGN KEY (tenant_id, serial) REFERENCES tokens (tenant_id, serial)
);

CREATE UNIQUE INDEX shipments_one_open ON shipments (tenant_id, login_id)
    WHERE status IN ('REQUESTED', 'SHIPPED');
CREATE UNIQUE INDEX shipments_serial_once ON shipments (tenant_id, serial)
    WHERE status = 'SHIPPED';
CREATE INDEX shipments_by_status ON shipments (tenant_id, status, requested_at);

-- Every OTP attempt and lifecycle change. Never the code, seed or password.
CREATE TABLE audit_events (
    tenant_id   varchar(32) NOT NULL,
    event_id    bigint      GENERATED ALWAYS AS IDENTITY,
    occurred_at timestamptz NOT NULL,
    login_id    varchar(64),
    serial      varchar(12),
    operation   varchar(40) NOT NULL,
    outcome     varchar(24) NOT NULL,
    client      varchar(64) NOT NULL,
    actor       varchar(64),
    PRIMARY KEY (tenant_id, event_id)
);

CREATE INDEX audit_events_by_user ON audit_events (tenant_id, login_id, occurred_at);
CREATE INDEX audit_events_by_serial ON audit_events (tenant_id, serial, occurred_at);
