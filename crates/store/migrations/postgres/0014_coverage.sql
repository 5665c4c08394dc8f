-- From when each kind of record (employment, agency, establishment,
-- absence, caseload) is complete, where the authority declares it: before
-- it, pages give no figure resting on those records.
CREATE TABLE records_complete_from (
    records TEXT PRIMARY KEY,
    from_date TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
);
