-- A download of the rows a batch left out is read a page at a time, each
-- page after the last row of the one before: rows that tie on file, line
-- and column are told apart by this number (SQLite's rows have theirs,
-- the rowid, already).
ALTER TABLE rejected_row ADD COLUMN IF NOT EXISTS id BIGSERIAL;
DROP INDEX IF EXISTS rejected_row_batch;
CREATE INDEX rejected_row_batch ON rejected_row (batch_id, file_name, line, column_name, id);
