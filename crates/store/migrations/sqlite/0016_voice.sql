-- Staff voice (issue 19): exit interviews, survey answers and
-- employee-relations cases. One row per record: its kind, the person (none
-- for an anonymous exit interview or survey answer), its key date (leaving,
-- answer, case opened) and the record itself as JSON (sightline_core::voice).
-- ER cases are read only for HR and admin.
CREATE TABLE voice_record (
    batch_id INTEGER NOT NULL REFERENCES import_batch (id),
    person_id INTEGER REFERENCES person (id),
    kind TEXT NOT NULL CHECK (kind IN ('exit', 'answer', 'er')),
    date TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX voice_record_batch ON voice_record (batch_id);
CREATE INDEX voice_record_kind ON voice_record (kind, date);
