-- The workforce as dated facts, each row from one import batch.
CREATE TABLE import_batch (
    id BIGINT PRIMARY KEY,
    source TEXT NOT NULL,
    path TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL
);
CREATE TABLE import_file (
    batch_id BIGINT NOT NULL REFERENCES import_batch (id),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (batch_id, file_name)
);
CREATE TABLE rejected_row (
    batch_id BIGINT NOT NULL REFERENCES import_batch (id),
    file_name TEXT NOT NULL,
    line BIGINT NOT NULL,
    column_name TEXT NOT NULL,
    value TEXT NOT NULL,
    rule TEXT NOT NULL
);
CREATE TABLE team (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE person (
    id BIGINT PRIMARY KEY,
    person_key TEXT NOT NULL UNIQUE,
    swe_no TEXT,
    birth_date DATE,
    gender INTEGER,
    ethnicity TEXT,
    qualification_date DATE,
    qualification_route TEXT
);
CREATE TABLE spell (
    batch_id BIGINT NOT NULL REFERENCES import_batch (id),
    person_id BIGINT NOT NULL REFERENCES person (id),
    kind TEXT NOT NULL,
    team_id BIGINT NOT NULL REFERENCES team (id),
    org_role INTEGER NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE,
    fte DOUBLE PRECISION NOT NULL,
    reason_leave INTEGER
);
CREATE INDEX spell_batch ON spell (batch_id);
CREATE TABLE establishment (
    batch_id BIGINT NOT NULL REFERENCES import_batch (id),
    team_id BIGINT NOT NULL REFERENCES team (id),
    fte DOUBLE PRECISION NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE,
    post_id TEXT,
    org_role INTEGER
);
CREATE INDEX establishment_batch ON establishment (batch_id);
CREATE TABLE absence (
    batch_id BIGINT NOT NULL REFERENCES import_batch (id),
    person_id BIGINT NOT NULL REFERENCES person (id),
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    reason TEXT NOT NULL,
    days_lost DOUBLE PRECISION
);
CREATE INDEX absence_batch ON absence (batch_id);
CREATE TABLE caseload (
    batch_id BIGINT NOT NULL REFERENCES import_batch (id),
    person_id BIGINT NOT NULL REFERENCES person (id),
    date DATE NOT NULL,
    cases INTEGER NOT NULL
);
CREATE INDEX caseload_batch ON caseload (batch_id);
