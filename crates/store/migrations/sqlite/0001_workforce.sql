-- The workforce as dated facts, each row from one import batch.
CREATE TABLE import_batch (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    path TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    rows_read INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL
);
CREATE TABLE import_file (
    batch_id INTEGER NOT NULL REFERENCES import_batch (id),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (batch_id, file_name)
);
CREATE TABLE rejected_row (
    batch_id INTEGER NOT NULL REFERENCES import_batch (id),
    file_name TEXT NOT NULL,
    line INTEGER NOT NULL,
    column_name TEXT NOT NULL,
    value TEXT NOT NULL,
    rule TEXT NOT NULL
);
CREATE TABLE team (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE person (
    id INTEGER PRIMARY KEY,
    person_key TEXT NOT NULL UNIQUE,
    swe_no TEXT,
    birth_date TEXT,
    gender INTEGER,
    ethnicity TEXT,
    qualification_date TEXT,
    qualification_route TEXT
);
CREATE TABLE spell (
    batch_id INTEGER NOT NULL REFERENCES import_batch (id),
    person_id INTEGER NOT NULL REFERENCES person (id),
    kind TEXT NOT NULL,
    team_id INTEGER NOT NULL REFERENCES team (id),
    org_role INTEGER NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT,
    fte REAL NOT NULL,
    reason_leave INTEGER
);
CREATE INDEX spell_batch ON spell (batch_id);
CREATE TABLE establishment (
    batch_id INTEGER NOT NULL REFERENCES import_batch (id),
    team_id INTEGER NOT NULL REFERENCES team (id),
    fte REAL NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT,
    post_id TEXT,
    org_role INTEGER
);
CREATE INDEX establishment_batch ON establishment (batch_id);
CREATE TABLE absence (
    batch_id INTEGER NOT NULL REFERENCES import_batch (id),
    person_id INTEGER NOT NULL REFERENCES person (id),
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    reason TEXT NOT NULL,
    days_lost REAL
);
CREATE INDEX absence_batch ON absence (batch_id);
CREATE TABLE caseload (
    batch_id INTEGER NOT NULL REFERENCES import_batch (id),
    person_id INTEGER NOT NULL REFERENCES person (id),
    date TEXT NOT NULL,
    cases INTEGER NOT NULL
);
CREATE INDEX caseload_batch ON caseload (batch_id);
