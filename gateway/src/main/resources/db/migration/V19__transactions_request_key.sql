-- A transaction keeps the Idempotency-Key of the request that made it (NULL without one). An
-- instance that dies after its charge committed and before it kept its answer leaves the key's
-- claim unanswered; the retry that takes the claim over after its lease finds the transaction of
-- the same tenant, client, key and day and answers it instead of charging the day's limit again
-- (R2dbcTransactions.PRIOR; deploy/balanced.sh found that double charge with instances killed under
-- load). Unique, so that even two holders of one claim (the first slower than its lease) cannot both
-- record; the partition key business_date is part of it, as PostgreSQL requires.
ALTER TABLE transactions ADD COLUMN request_key varchar(64);
CREATE UNIQUE INDEX transactions_by_request_key ON transactions (tenant_id, client, request_key, business_date)
    WHERE request_key IS NOT NULL;
