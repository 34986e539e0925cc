-- Monthly statements (R15, docs/domain.md): closed once per tenant and month, never changed after.
-- A change that reaches a month after it was closed is billed as an adjustment of the next one.

CREATE TABLE billing_statements (
    tenant_id  varchar(32) NOT NULL,
    month      char(7)     NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    closed_at  timestamptz NOT NULL,
    closed_by  varchar(40) NOT NULL,   -- 'job' or the clerk's staff ID
    client     varchar(64) NOT NULL,
    contracts  integer     NOT NULL CHECK (contracts >= 0),
    tokens     integer     NOT NULL CHECK (tokens >= 0),
    total      bigint      NOT NULL,
    PRIMARY KEY (tenant_id, month)
);

CREATE TABLE billing_statement_contracts (
    tenant_id   varchar(32) NOT NULL,
    month       char(7)     NOT NULL,
    contract_id varchar(64) NOT NULL,
    tokens      integer     NOT NULL CHECK (tokens >= 0),
    total       bigint      NOT NULL,
    PRIMARY KEY (tenant_id, month, contract_id),
    FOREIGN KEY (tenant_id, month) REFERENCES billing_statements (tenant_id, month)
);

CREATE TABLE billing_statement_lines (
    tenant_id   varchar(32) NOT NULL,
    month       char(7)     NOT NULL,
    contract_id varchar(64) NOT NULL,
    line_no     smallint    NOT NULL,
    kind        varchar(16) NOT NULL CHECK (kind IN ('MONTHLY_TOKEN', 'REISSUE', 'ADJUSTMENT')),
    quantity    bigint      NOT NULL,
    unit_price  bigint      NOT NULL,
    amount      bigint      NOT NULL,
    adjusts     char(7),
    PRIMARY KEY (tenant_id, month, contract_id, line_no),
    FOREIGN KEY (tenant_id, month, contract_id) REFERENCES billing_statement_contracts (tenant_id, month, contract_id),
    CHECK ((kind = 'ADJUSTMENT') = (adjusts IS NOT NULL)),
    CHECK (kind = 'ADJUSTMENT' OR amount = quantity * unit_price)
);

-- A closed statement is a record: no row of it is ever updated or deleted, whoever tries.
CREATE FUNCTION refuse_statement_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a closed billing statement is never changed (%)', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER billing_statements_immutable BEFORE UPDATE OR DELETE ON billing_statements
    FOR EACH ROW EXECUTE FUNCTION refuse_statement_change();
CREATE TRIGGER billing_statement_contracts_immutable BEFORE UPDATE OR DELETE ON billing_statement_contracts
    FOR EACH ROW EXECUTE FUNCTION refuse_statement_change();
CREATE TRIGGER billing_statement_lines_immutable BEFORE UPDATE OR DELETE ON billing_statement_lines
    FOR EACH ROW EXECUTE FUNCTION refuse_statement_change();

-- 代表口座 (002: 代表口座より引落): where the contract's fees are debited. Branch code (店番,
-- 3 digits), account type and account number (7 digits) as a Japanese core-banking debit file needs
-- them; set by the operator, never logged.
ALTER TABLE contracts
    ADD COLUMN debit_branch  char(3) CHECK (debit_branch ~ '^[0-9]{3}$'),
    ADD COLUMN debit_type    varchar(8) CHECK (debit_type IN ('ORDINARY', 'CHECKING')),
    ADD COLUMN debit_account char(7) CHECK (debit_account ~ '^[0-9]{7}$'),
    ADD CONSTRAINT contracts_debit_complete
        CHECK ((debit_branch IS NULL) = (debit_type IS NULL) AND (debit_type IS NULL) = (debit_account IS NULL));

-- The contract an audit event is about when no user is (a debit account set at the branch).
ALTER TABLE audit_events ADD COLUMN contract_id varchar(64);
