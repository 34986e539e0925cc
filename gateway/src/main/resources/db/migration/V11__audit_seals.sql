-- Tamper evidence for the audit trail (docs/architecture.md, "Audit trail"). A job seals the new
-- events of a tenant into blocks: each block's digest covers its rows in event order, and its MAC,
-- made with a key the database never holds, covers the digest and the previous block's MAC. A
-- verification walks the chain and names the first block that does not check.

-- When PostgreSQL wrote the row, by its own clock: the sealing job waits for rows older than its
-- lag, so that no transaction still open can commit an event below a sealed one.
ALTER TABLE audit_events ADD COLUMN recorded_at timestamptz DEFAULT clock_timestamp();

CREATE TABLE audit_seals (
    tenant_id      varchar(32) NOT NULL,
    block_no       bigint      NOT NULL CHECK (block_no >= 1),
    first_event_id bigint      NOT NULL,
    last_event_id  bigint      NOT NULL CHECK (last_event_id >= first_event_id),
    row_count      integer     NOT NULL CHECK (row_count >= 1),
    last_at        timestamptz NOT NULL,   -- the latest occurred_at in the block (retention)
    digest         bytea       NOT NULL,   -- SHA-256 over the rows, in event order
    mac            bytea       NOT NULL,   -- Tink MAC over tenant, block, range, count, digest, previous MAC
    sealed_at      timestamptz NOT NULL,
    purged_at      timestamptz,            -- the block's rows were removed after the retention period
    PRIMARY KEY (tenant_id, block_no),
    UNIQUE (tenant_id, last_event_id)
);
