-- Newer releases of DfE's published indicators, loaded with
-- `sightline benchmark update`; the latest replaces the shipped file.
CREATE TABLE published_release (
    id INTEGER PRIMARY KEY,
    loaded_at TEXT NOT NULL,
    loaded_by TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content TEXT NOT NULL
);
