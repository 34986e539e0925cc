-- Branch operations (docs/api.md "Branch operations"): a token reported lost or broken at the
-- branch, the clerk behind every operator action, the start date of a shipped token (BLG020), and
-- the fee events billing (R15) charges.

-- A hold suspended by a loss or damage report is still the user's current token: it refuses every
-- operation (TOKEN_SUSPENDED) until a reissued token is activated (-> ENDED) or the branch
-- deactivates it (-> DEACTIVATED). AssignmentState.current() and AssignmentSql say the same;
-- AssignmentSqlTest checks these indexes against them.
ALTER TABLE assignments DROP CONSTRAINT assignments_state_check;
ALTER TABLE assignments ADD CONSTRAINT assignments_state_check
    CHECK (state IN ('ACTIVE', 'REVOKED', 'SUSPENDED', 'DEACTIVATED', 'REPLACED', 'ENDED'));

DROP INDEX assignments_one_current;
CREATE UNIQUE INDEX assignments_one_current ON assignments (tenant_id, login_id)
    WHERE state IN ('ACTIVE', 'REVOKED', 'SUSPENDED');
DROP INDEX assignments_by_serial;
CREATE INDEX assignments_by_serial ON assignments (tenant_id, serial)
    WHERE state IN ('ACTIVE', 'REVOKED', 'SUSPENDED');

-- The report itself. A suspended token is retired at once (retired_at): it can never be activated
-- again, whoever finds it.
ALTER TABLE tokens
    ADD COLUMN suspended_at      timestamptz,
    ADD COLUMN suspension_reason varchar(6) CHECK (suspension_reason IN ('LOST', 'BROKEN')),
    ADD CONSTRAINT tokens_suspension_complete
        CHECK ((suspended_at IS NULL) = (suspension_reason IS NULL)
               AND (suspended_at IS NULL OR retired_at IS NOT NULL));

-- The branch's token lists (GET …/operator/tokens?state=), paged by serial: each has a partial
-- index whose predicate is exactly the list's, so the plan holds without statistics.
CREATE INDEX tokens_in_stock ON tokens (tenant_id, serial) WHERE contract_id IS NULL AND retired_at IS NULL;
CREATE INDEX tokens_locked ON tokens (tenant_id, serial) WHERE locked AND retired_at IS NULL;
CREATE INDEX tokens_suspended ON tokens (tenant_id, serial) WHERE suspended_at IS NOT NULL;

-- 利用開始日 (002, 004): from 00:00 of this day in the tenant's zone a LOGIN of the user answers
-- ACTIVATION_REQUIRED where the tenant forces activation at login.
ALTER TABLE shipments ADD COLUMN starts_on date;

-- The clerk who acted on a paper form (every operator POST of the branch carries it).
ALTER TABLE audit_events ADD COLUMN staff_id varchar(32) CHECK (staff_id ~ '^[A-Za-z0-9._-]{1,32}$');

ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_mail_type_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_mail_type_check
    CHECK (mail_type IN ('SOFTWARE_ISSUED', 'EXPIRY_NOTICE', 'LOCK_NOTICE', 'SUSPENSION_NOTICE'));

-- What billing charges besides the monthly token fee (R15): a reissue after a loss or damage
-- report, once per reissued token. Written in the transaction of the reissue; never updated.
CREATE TABLE fee_events (
    tenant_id   varchar(32) NOT NULL,
    event_id    bigint      GENERATED ALWAYS AS IDENTITY,
    fee         varchar(12) NOT NULL CHECK (fee IN ('REISSUE')),
    contract_id varchar(64) NOT NULL,
    login_id    varchar(64) NOT NULL,
    serial      varchar(12) NOT NULL,
    shipment_id bigint      NOT NULL,
    reason      varchar(6)  NOT NULL CHECK (reason IN ('LOST', 'BROKEN')),
    occurred_at timestamptz NOT NULL,
    staff_id    varchar(32) NOT NULL,
    PRIMARY KEY (tenant_id, event_id),
    UNIQUE (tenant_id, shipment_id),
    FOREIGN KEY (tenant_id, login_id) REFERENCES users (tenant_id, login_id),
    FOREIGN KEY (tenant_id, shipment_id) REFERENCES shipments (tenant_id, shipment_id)
);

CREATE INDEX fee_events_by_time ON fee_events (tenant_id, occurred_at);
