-- A person's facts found by the person (issue 22): a person's page, the API's
-- history and the merging of two people read every fact table by person_id,
-- which without these indexes meant reading each table whole (the 60,000-
-- person benchmark's caseload table holds 558,000 rows).
CREATE INDEX IF NOT EXISTS spell_person ON spell (person_id);
CREATE INDEX IF NOT EXISTS absence_person ON absence (person_id);
CREATE INDEX IF NOT EXISTS caseload_person ON caseload (person_id);
CREATE INDEX IF NOT EXISTS agency_assignment_person ON agency_assignment (person_id);
