-- One OTP attempt on one token, decided atomically (R1, R7; docs/architecture.md, hot path step 5), by the
-- table of verification.domain.GuardRules.decide (GuardTableIT runs its rows through this script).
-- KEYS[1]  otp:{<tenant>:<serial>}:state  (hash: locked, failures, last, v)
-- ARGV[1..4] the durable state from PostgreSQL: locked (0|1), failures, last accepted step, version;
--            ARGV[1] = '?' when the caller has only the version (its token from the in-memory cache)
-- ARGV[5]  the step the code matched, -1 when it matched none
-- ARGV[6]  failures that lock the token (tenant's maxConsecutiveFailures)
-- ARGV[7]  seconds to keep the state after this attempt
-- Returns {outcome, failures, locked, version, last}; outcome is ACCEPTED | INVALID | REPLAYED | LOCKED,
-- or {NEED_STATE} (nothing changed) when the state must be adopted and the caller has none.
local key = KEYS[1]
local durableVersion = tonumber(ARGV[4])
local held = redis.call('HMGET', key, 'locked', 'failures', 'last', 'v')
local locked, failures, last, version
if not held[4] or tonumber(held[4]) < durableVersion then
  if ARGV[1] == '?' then
    return {'NEED_STATE'}
  end
  -- Nothing here (restart, flush, failover, expiry) or older than an unlock: adopt PostgreSQL's
  -- state, but never forget a step this copy saw accepted.
  locked = tonumber(ARGV[1])
  failures = tonumber(ARGV[2])
  last = tonumber(ARGV[3])
  if held[3] and tonumber(held[3]) > last then
    last = tonumber(held[3])
  end
  version = durableVersion
else
  locked = tonumber(held[1])
  failures = tonumber(held[2])
  last = tonumber(held[3])
  version = tonumber(held[4])
end

local step = tonumber(ARGV[5])
local outcome
if locked == 1 then
  outcome = 'LOCKED'
elseif step >= 0 and step > last then
  outcome = 'ACCEPTED'
  failures = 0
  last = step
else
  if step >= 0 then
    outcome = 'REPLAYED'
  else
    outcome = 'INVALID'
  end
  failures = failures + 1
  if failures >= tonumber(ARGV[6]) then
    locked = 1
  end
end

redis.call('HSET', key, 'locked', locked, 'failures', failures, 'last', last, 'v', version)
redis.call('EXPIRE', key, tonumber(ARGV[7]))
return {outcome, tostring(failures), tostring(locked), tostring(version), tostring(last)}
