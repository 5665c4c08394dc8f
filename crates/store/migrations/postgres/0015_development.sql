-- Development records (issue 18): early-career programmes, supervision
-- sessions, CPD, Social Work England registration lines and career levels.
-- One row per record: its kind, its key date (a programme's, registration
-- line's or level's first day; a session's or a piece of CPD's date) and
-- the record itself as JSON (sightline_core::development), which the core
-- reads back whole.
CREATE TABLE development_record (
    batch_id BIGINT NOT NULL REFERENCES import_batch (id),
    person_id BIGINT NOT NULL REFERENCES person (id),
    kind TEXT NOT NULL CHECK (kind IN ('early_career', 'supervision', 'cpd', 'registration', 'grade')),
    date DATE NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX development_record_batch ON development_record (batch_id);
CREATE INDEX development_record_person ON development_record (person_id, kind, date);
