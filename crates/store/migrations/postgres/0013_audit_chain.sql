-- Each audit entry's SHA-256 over the previous entry's and its own fields:
-- a changed or removed entry breaks the chain (`sightline audit verify`).
-- Entries written before this column have none; the chain starts after them.
ALTER TABLE audit_log ADD COLUMN hash TEXT;
