-- Contracts (契約者) and their users (利用者), per tenant. Every table carries tenant_id first in its
-- key so it can be partitioned or distributed (Citus) by tenant later (architecture.md, Scaling).

CREATE TABLE contracts (
    tenant_id   varchar(32)  NOT NULL,
    contract_id varchar(64)  NOT NULL,
    created_at  timestamptz  NOT NULL,
    PRIMARY KEY (tenant_id, contract_id)
);

CREATE TABLE users (
    tenant_id   varchar(32)  NOT NULL,
    login_id    varchar(64)  NOT NULL,
    contract_id varchar(64)  NOT NULL,
    name        varchar(100) NOT NULL,
    role        varchar(8)   NOT NULL CHECK (role IN ('MASTER', 'ADMIN', 'GENERAL')),
    email       varchar(254),
    created_at  timestamptz  NOT NULL,
    updated_at  timestamptz  NOT NULL,
    PRIMARY KEY (tenant_id, login_id),
    FOREIGN KEY (tenant_id, contract_id) REFERENCES contracts (tenant_id, contract_id)
);

CREATE INDEX users_by_contract ON users (tenant_id, contract_id);
