-- Joining sources into one workforce: each source's own identifiers of a
-- person, names for suggesting matches, suggestions awaiting a person's
-- decision, agency terms, weighted caseloads, and what kind each batch was.
ALTER TABLE person ADD COLUMN given_name TEXT;
ALTER TABLE person ADD COLUMN family_name TEXT;
CREATE TABLE person_identifier (
    source TEXT NOT NULL,
    source_key TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES person (id),
    PRIMARY KEY (source, source_key)
);
CREATE INDEX person_identifier_person ON person_identifier (person_id);
-- Until now a person's key was the identifier every source used.
INSERT OR IGNORE INTO person_identifier (source, source_key, person_id)
SELECT DISTINCT b.source, p.person_key, p.id FROM person p JOIN spell f ON f.person_id = p.id JOIN import_batch b ON b.id = f.batch_id;
INSERT OR IGNORE INTO person_identifier (source, source_key, person_id)
SELECT DISTINCT b.source, p.person_key, p.id FROM person p JOIN absence f ON f.person_id = p.id JOIN import_batch b ON b.id = f.batch_id;
INSERT OR IGNORE INTO person_identifier (source, source_key, person_id)
SELECT DISTINCT b.source, p.person_key, p.id FROM person p JOIN caseload f ON f.person_id = p.id JOIN import_batch b ON b.id = f.batch_id;
CREATE TABLE match_suggestion (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person (id),
    candidate_id INTEGER NOT NULL REFERENCES person (id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    batch_id INTEGER NOT NULL REFERENCES import_batch (id),
    decided_by TEXT,
    decided_at TEXT
);
CREATE TABLE agency_assignment (
    batch_id INTEGER NOT NULL REFERENCES import_batch (id),
    person_id INTEGER NOT NULL REFERENCES person (id),
    start_date TEXT NOT NULL,
    agency TEXT,
    charge_rate REAL,
    pay_rate REAL,
    covering TEXT
);
CREATE INDEX agency_assignment_batch ON agency_assignment (batch_id);
ALTER TABLE caseload ADD COLUMN weight REAL;
ALTER TABLE import_batch ADD COLUMN kind TEXT NOT NULL DEFAULT 'canonical';
