-- The Data page reads the first rows each batch left out, in order: by
-- this index, rather than the whole table sorted, however many imports
-- have left rows out.
CREATE INDEX IF NOT EXISTS rejected_row_batch ON rejected_row (batch_id, file_name, line, column_name);
