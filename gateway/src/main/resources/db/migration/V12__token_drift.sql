-- A token's clock drift (RFC 6238 §6; docs/domain.md "Drift and resynchronisation", the rule in
-- verification/domain/Drift): drift_steps is the offset in time steps the acceptance window is
-- centred on (within the tenant's otp.drift.maxSteps), drift_below how many acceptances in a row
-- came in below it (the window moves back on the third). Both are written by the acceptance's own
-- update (R2dbcOtpAttempts ACCEPT), so learning costs the hot path no statement of its own.
ALTER TABLE tokens
    ADD COLUMN drift_steps smallint NOT NULL DEFAULT 0 CHECK (drift_steps BETWEEN -60 AND 60),
    ADD COLUMN drift_below smallint NOT NULL DEFAULT 0 CHECK (drift_below >= 0);

-- Every instance keeps a token's drift in memory with its fixed facts: a move of the window is
-- announced like a change of the seed (V7), so no instance searches around an offset the token
-- left. drift_below is not announced: a copy that counts late codes from a stale count only moves
-- the window back later.
DROP TRIGGER tokens_announce_update ON tokens;
CREATE TRIGGER tokens_announce_update
    AFTER UPDATE ON tokens FOR EACH ROW
    WHEN ((NEW.seed_sealed, NEW.kind, NEW.algorithm, NEW.digits, NEW.period_seconds, NEW.expires_at,
           NEW.retired_at, NEW.state_version, NEW.drift_steps)
          IS DISTINCT FROM (OLD.seed_sealed, OLD.kind, OLD.algorithm, OLD.digits, OLD.period_seconds,
                            OLD.expires_at, OLD.retired_at, OLD.state_version, OLD.drift_steps))
    EXECUTE FUNCTION announce_active_token_change();
