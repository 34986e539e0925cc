-- What an audit event is about when it is neither a user, a serial nor a contract: the ID of a
-- data key (DATA_KEY ROTATED/REMOVED), the name of a PSKC transport key (PSKC_KEY STORED/REMOVED).
ALTER TABLE audit_events ADD COLUMN subject varchar(64);

-- The digest of a block sealed from now on covers the subject too (format 2, audit/domain/AuditChain);
-- blocks sealed before keep their format 1 digest and verify as they did.
ALTER TABLE audit_seals ADD COLUMN format smallint NOT NULL DEFAULT 1 CHECK (format IN (1, 2));
