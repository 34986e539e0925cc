-- Token vendors' transport keys for PSKC delivery files (RFC 6030 §6.1, pre-shared keys), stored
-- per tenant by the operator (PUT …/operator/pskc-keys/{name}) and named by the import's PSKC-Key
-- header. Sealed like seeds (AEAD; associated data tenant + "pskc-key:" + name), never returned.
CREATE TABLE pskc_keys (
    tenant_id  varchar(32) NOT NULL,
    name       varchar(64) NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    key_sealed bytea       NOT NULL,
    stored_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, name)
);
