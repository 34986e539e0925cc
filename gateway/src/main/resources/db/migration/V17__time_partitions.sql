-- The two tables that grow with every request and are kept by time are partitioned by month
-- (native range partitions), so that their past months leave as whole tables instead of by DELETE
-- and VACUUM (docs/architecture.md "Partitions by time", deploy/SCALING.md):
--   audit_events  by occurred_at (timestamptz): a month's partition goes once the audit purge
--                 (sealed blocks past each tenant's retention) has emptied it;
--   transactions  by business_date (date): a month's partition goes once the whole month is older
--                 than otp.partitions.transactions-keep (13 months by default).
-- The monthly partitions are made and dropped by the gateway (shared/domain/TimePartitions,
-- PartitionJobs): at start and every few hours, the current month and 3 ahead. A DEFAULT partition
-- takes any row whose month has no partition yet (an old row copied below, a clock far off), so
-- no insert ever fails for want of a partition; the job moves such rows into their month.
--
-- Every primary key now includes the partition column (PostgreSQL requires it) and still
-- includes tenant_id (DistributableSchemaIT). event_id and transaction_id stay unique by
-- construction (a sequence, a random UUID).
--
-- This migration copies both tables inside one transaction: on a large production database,
-- rehearse it on a copy first and plan the time it holds the tables (deploy/SCALING.md).

-- audit_events ------------------------------------------------------------------------------
CREATE SEQUENCE audit_event_ids AS bigint;
SELECT setval('audit_event_ids', coalesce((SELECT max(event_id) FROM audit_events), 0) + 1, false);

ALTER TABLE audit_events RENAME TO audit_events_v16;
ALTER INDEX audit_events_pkey RENAME TO audit_events_v16_pkey;
ALTER INDEX audit_events_by_user RENAME TO audit_events_v16_by_user;
ALTER INDEX audit_events_by_serial RENAME TO audit_events_v16_by_serial;

CREATE TABLE audit_events (
    tenant_id   varchar(32) NOT NULL,
    event_id    bigint      NOT NULL DEFAULT nextval('audit_event_ids'),
    occurred_at timestamptz NOT NULL,
    login_id    varchar(64),
    serial      varchar(12),
    operation   varchar(40) NOT NULL,
    outcome     varchar(24) NOT NULL,
    client      varchar(64) NOT NULL,
    actor       varchar(64),
    staff_id    varchar(32) CHECK (staff_id ~ '^[A-Za-z0-9._-]{1,32}$'),
    contract_id varchar(64),
    recorded_at timestamptz DEFAULT clock_timestamp(),
    subject     varchar(64),
    PRIMARY KEY (tenant_id, event_id, occurred_at)
) PARTITION BY RANGE (occurred_at);
ALTER SEQUENCE audit_event_ids OWNED BY audit_events.event_id;

CREATE INDEX audit_events_by_user ON audit_events (tenant_id, login_id, occurred_at);
CREATE INDEX audit_events_by_serial ON audit_events (tenant_id, serial, occurred_at);
CREATE TABLE audit_events_default PARTITION OF audit_events DEFAULT;

INSERT INTO audit_events (tenant_id, event_id, occurred_at, login_id, serial, operation, outcome, client, actor,
                          staff_id, contract_id, recorded_at, subject)
SELECT tenant_id, event_id, occurred_at, login_id, serial, operation, outcome, client, actor,
       staff_id, contract_id, recorded_at, subject
  FROM audit_events_v16;
DROP TABLE audit_events_v16;

-- transactions ------------------------------------------------------------------------------
ALTER TABLE transactions RENAME TO transactions_v16;
ALTER INDEX transactions_pkey RENAME TO transactions_v16_pkey;
ALTER INDEX transactions_by_user RENAME TO transactions_v16_by_user;

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
    PRIMARY KEY (tenant_id, transaction_id, business_date),
    CHECK (NOT (charged AND otp_verified))
) PARTITION BY RANGE (business_date);

CREATE INDEX transactions_by_user ON transactions (tenant_id, login_id, business_date);
CREATE TABLE transactions_default PARTITION OF transactions DEFAULT;

INSERT INTO transactions (tenant_id, transaction_id, login_id, type, amount, payee_registered, otp_verified, charged,
                          business_date, decided_at, client, cancelled_at)
SELECT tenant_id, transaction_id, login_id, type, amount, payee_registered, otp_verified, charged,
       business_date, decided_at, client, cancelled_at
  FROM transactions_v16;
DROP TABLE transactions_v16;
