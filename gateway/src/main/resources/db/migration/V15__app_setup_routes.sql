-- The token app's setup (POST /v1/provisioning) sends no tenant: the service and user IDs of an
-- issuance find it. They were unique across tenants through software_issuances_app_setup, a
-- unique key without tenant_id, which a database distributed by tenant_id (Citus) cannot enforce
-- (deploy/SCALING.md). The pair now lives in a small table of its own, keyed by the pair alone and
-- naming the tenant (a reference table, copied to every node, under Citus); it is written with the
-- issuance, in the same statement, and read first by the setup. Every key of the tenants' tables
-- now includes tenant_id.
CREATE TABLE app_setup_routes (
    service_id  char(8)     NOT NULL,
    app_user_id char(12)    NOT NULL,
    tenant_id   varchar(32) NOT NULL,
    PRIMARY KEY (service_id, app_user_id)
);

INSERT INTO app_setup_routes (service_id, app_user_id, tenant_id)
SELECT service_id, app_user_id, tenant_id FROM software_issuances;

DROP INDEX software_issuances_app_setup;
CREATE UNIQUE INDEX software_issuances_app_setup ON software_issuances (tenant_id, service_id, app_user_id);
