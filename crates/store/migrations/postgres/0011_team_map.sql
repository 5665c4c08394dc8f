-- Old team names and finance cost centres, and the team each is now, for
-- the days given (either end open). Exports are read through it.
CREATE TABLE team_map (
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    team TEXT NOT NULL,
    from_date DATE,
    to_date DATE,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL
);
-- A post's or agency assignment's reference, where the export gives one:
-- it keys the post in exports of changes.
ALTER TABLE spell ADD COLUMN post_ref TEXT;
