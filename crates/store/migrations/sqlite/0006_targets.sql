-- Targets the authority sets for its figures, such as an agency rate of at
-- most 20% by a date.
CREATE TABLE target (
    id INTEGER PRIMARY KEY,
    figure TEXT NOT NULL,
    at_most INTEGER NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    by_date TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
);
