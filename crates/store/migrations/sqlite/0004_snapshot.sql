-- Every change to the store's facts bumps the generation; the assembled
-- workforce is kept as one snapshot of the generation it was built from,
-- so reading the whole workforce does not re-read every fact row.
CREATE TABLE store_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO store_state (id, generation) VALUES (1, 0);
CREATE TABLE workforce_snapshot (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL,
    format INTEGER NOT NULL,
    data BLOB NOT NULL
);
