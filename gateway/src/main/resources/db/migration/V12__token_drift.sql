-- A token's clock drift (RFC 6238 §6; docs/domain.md "Drift and resynchronisation"): the offset in
-- time steps of its latest accepted code, kept within the tenant's otp.drift.maxSteps. The window
-- of now ± otp.window is centred on now + drift_steps. Written only when it changes (an acceptance
-- at another offset, or a resynchronisation), so the hot path's ordinary acceptance writes nothing more.
ALTER TABLE tokens ADD COLUMN drift_steps smallint NOT NULL DEFAULT 0 CHECK (drift_steps BETWEEN -60 AND 60);

-- Every instance keeps a token's drift in memory with its fixed facts: a change of it is announced
-- like a change of the seed (V7), so no instance searches around an offset the token left.
DROP TRIGGER tokens_announce_update ON tokens;
CREATE TRIGGER tokens_announce_update
    AFTER UPDATE ON tokens FOR EACH ROW
    WHEN ((NEW.seed_sealed, NEW.kind, NEW.algorithm, NEW.digits, NEW.period_seconds, NEW.expires_at,
           NEW.retired_at, NEW.state_version, NEW.drift_steps)
          IS DISTINCT FROM (OLD.seed_sealed, OLD.kind, OLD.algorithm, OLD.digits, OLD.period_seconds,
                            OLD.expires_at, OLD.retired_at, OLD.state_version, OLD.drift_steps))
    EXECUTE FUNCTION announce_active_token_change();
