-- Key custody (docs/custody.md): every tenant's seeds are sealed with the tenant's own data keys,
-- each a one-key Tink AES-256-GCM keyset wrapped by the key-encryption key (KEK) that the HSM holds
-- (otp.crypto.kek.*). A sealed seed names its key in its first 5 bytes (Tink's prefix: 0x01 and
-- the key ID, big-endian; custody/domain/KeyRing.prefix), which the statements below read with
-- substring(… from 1 for 5): KeyRingSqlIT checks that the two agree.
CREATE TABLE data_keys (
    tenant_id    varchar(32) NOT NULL,
    key_id       bigint      NOT NULL CHECK (key_id BETWEEN 0 AND 4294967295),
    key_wrapped  bytea       NOT NULL,                -- the keyset under the KEK, never in clear
    kek          varchar(128) NOT NULL,               -- which KEK wrapped it (HSM key label)
    primary_from timestamptz NOT NULL,                -- seals from then on (KeyRing.primaryAt)
    created_at   timestamptz NOT NULL,
    created_by   varchar(64),                         -- staff ID; NULL for a tenant's first key
    PRIMARY KEY (tenant_id, key_id)
);

-- A key that goes (removed when no seed uses it, or all of a tenant's, shredded) may still be what
-- an instance's active-token cache holds a ciphertext under: every instance empties its cache,
-- as for a table emptied (V7, payload '*'). A re-seal itself announces nothing: it changes no
-- seed, and the old key opens the cached ciphertext until it is removed.
CREATE FUNCTION announce_data_key_removal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('otp_active_tokens', '*');
    RETURN NULL;
END $$;

CREATE TRIGGER data_keys_announce_delete
    AFTER DELETE ON data_keys FOR EACH STATEMENT
    EXECUTE FUNCTION announce_data_key_removal();

DROP TRIGGER tokens_announce_update ON tokens;
CREATE TRIGGER tokens_announce_update
    AFTER UPDATE ON tokens FOR EACH ROW
    WHEN ((NEW.kind, NEW.algorithm, NEW.digits, NEW.period_seconds, NEW.expires_at,
           NEW.retired_at, NEW.state_version, NEW.drift_steps)
          IS DISTINCT FROM (OLD.kind, OLD.algorithm, OLD.digits, OLD.period_seconds,
                            OLD.expires_at, OLD.retired_at, OLD.state_version, OLD.drift_steps))
    EXECUTE FUNCTION announce_active_token_change();

-- The background re-seal of a tenant's seeds to its primary key: one row per tenant, resumable
-- from after_serial by whichever instance holds the lease (lease_owner until lease_until).
CREATE TABLE reseal_jobs (
    tenant_id    varchar(32) PRIMARY KEY,
    key_id       bigint      NOT NULL,
    after_serial varchar(12) NOT NULL DEFAULT '',
    resealed     bigint      NOT NULL DEFAULT 0,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    lease_owner  varchar(128),
    lease_until  timestamptz
);

-- Crypto-shredding: the request (a confirmation code the operator sends back within
-- expires_at), then destroyed_at when confirmed. A destroyed tenant gets no key again.
CREATE TABLE data_key_destructions (
    tenant_id    varchar(32) PRIMARY KEY,
    confirmation varchar(16) NOT NULL,
    requested_by varchar(64) NOT NULL,
    requested_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    destroyed_at timestamptz,
    destroyed_by varchar(64)
);
