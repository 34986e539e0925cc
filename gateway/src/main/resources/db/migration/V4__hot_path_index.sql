-- Hot path step 2 (architecture.md): the user's ACTIVE token. An index whose predicate is exactly
-- the query's, so the planner takes it even before autovacuum has analysed a freshly loaded table
-- (measured: with stale statistics it scanned every assignment of the tenant, 15 ms per call).
CREATE INDEX assignments_active ON assignments (tenant_id, login_id) WHERE state = 'ACTIVE';
