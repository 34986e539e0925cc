-- Hot path step 2 (architecture.md): every instance keeps its users' active tokens in memory and
-- must forget an entry the moment it stops being true, whichever instance, job or person changed
-- the row. The triggers announce each such change on the channel otp_active_tokens; PostgreSQL
-- delivers a notification only when its transaction commits, to every listening instance.
-- Payload: '<tenant> <login>' (neither may contain a space), or '*' for "forget everything".
-- The hot path's own writes (accepted step, failures, lock) announce nothing: the guard owns them.

CREATE FUNCTION announce_active_token_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('otp_active_tokens', '*');
    ELSIF TG_TABLE_NAME = 'assignments' THEN
        PERFORM pg_notify('otp_active_tokens', OLD.tenant_id || ' ' || OLD.login_id);
    ELSE
        -- a token's fixed facts or its state version (an unlock): every user holding it now
        PERFORM pg_notify('otp_active_tokens', a.tenant_id || ' ' || a.login_id)
           FROM assignments a
          WHERE a.tenant_id = NEW.tenant_id AND a.serial = NEW.serial AND a.state = 'ACTIVE';
    END IF;
    RETURN NULL;
END;
$$;

-- An ACTIVE assignment that ends (revoked, deactivated, replaced) or is changed or removed.
CREATE TRIGGER assignments_announce_update
    AFTER UPDATE ON assignments FOR EACH ROW
    WHEN (OLD.state = 'ACTIVE'
          AND (NEW.state, NEW.login_id, NEW.serial) IS DISTINCT FROM (OLD.state, OLD.login_id, OLD.serial))
    EXECUTE FUNCTION announce_active_token_change();

CREATE TRIGGER assignments_announce_delete
    AFTER DELETE ON assignments FOR EACH ROW
    WHEN (OLD.state = 'ACTIVE')
    EXECUTE FUNCTION announce_active_token_change();

-- What an instance keeps of a token: seed, parameters, expiry, retirement and the state version.
CREATE TRIGGER tokens_announce_update
    AFTER UPDATE ON tokens FOR EACH ROW
    WHEN ((NEW.seed_sealed, NEW.kind, NEW.algorithm, NEW.digits, NEW.period_seconds, NEW.expires_at,
           NEW.retired_at, NEW.state_version)
          IS DISTINCT FROM (OLD.seed_sealed, OLD.kind, OLD.algorithm, OLD.digits, OLD.period_seconds,
                            OLD.expires_at, OLD.retired_at, OLD.state_version))
    EXECUTE FUNCTION announce_active_token_change();

CREATE TRIGGER assignments_announce_truncate
    AFTER TRUNCATE ON assignments FOR EACH STATEMENT
    EXECUTE FUNCTION announce_active_token_change();

CREATE TRIGGER tokens_announce_truncate
    AFTER TRUNCATE ON tokens FOR EACH STATEMENT
    EXECUTE FUNCTION announce_active_token_change();
