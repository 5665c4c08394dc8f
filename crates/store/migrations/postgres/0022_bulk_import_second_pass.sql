-- The PostgreSQL import, second pass (issue 22). Timed statement by statement
-- on the 929,000-row benchmark folder:
--
-- * Each B-tree index on a COPYed table cost about 1 s of the 2.4 s that
--   558,000 caseload rows took. A batch's rows are appended together, so the
--   index on batch_id (used to find a batch's rows: to replace a source's
--   earlier batches, to check what an import wrote) is a BRIN index, a
--   summary of each range of pages, kept up at almost no cost. The indexes on
--   person_id stay B-trees: a person's page reads a few rows by them.
-- * The foreign key from person_identifier to person was checked row by row
--   by a trigger: 0.6 s of 1 s for 60,670 identifiers. Each import now checks
--   once, at its end, that every person and team its rows and identifiers
--   name exists (batches.rs, `check_named`; this also replaces 0020's check
--   of each fact table, which read the tables whole). Merging two people
--   moves identifiers before the person goes, and takes the store's
--   generation first, so that a merge and an import wait for each other
--   (people.rs).
-- * The assembled workforce (about 23 MB for 60,000 people) was compressed
--   with pglz on every write, about 0.8 s, and decompressed on every read. It
--   is now stored as it is.
DROP INDEX IF EXISTS spell_batch;
CREATE INDEX spell_batch ON spell USING brin (batch_id);
DROP INDEX IF EXISTS absence_batch;
CREATE INDEX absence_batch ON absence USING brin (batch_id);
DROP INDEX IF EXISTS caseload_batch;
CREATE INDEX caseload_batch ON caseload USING brin (batch_id);
ALTER TABLE person_identifier DROP CONSTRAINT IF EXISTS person_identifier_person_id_fkey;
ALTER TABLE workforce_snapshot ALTER COLUMN data SET STORAGE EXTERNAL;
