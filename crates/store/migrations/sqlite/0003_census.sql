-- Each CSWW census return imported, kept whole: a source's census history
-- is rebuilt from all its returns whenever another year's return arrives.
CREATE TABLE census_return (
    batch_id INTEGER NOT NULL REFERENCES import_batch (id),
    source TEXT NOT NULL,
    year INTEGER NOT NULL,
    lea TEXT,
    xml TEXT NOT NULL
);
CREATE UNIQUE INDEX census_return_year ON census_return (source, year);
