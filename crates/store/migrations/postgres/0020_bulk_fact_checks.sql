-- The three large fact tables are written through COPY (issue 22). Their
-- foreign keys were checked row by row, by a trigger each: 3.5 of the 3.75 s
-- that 558,000 caseload rows took to COPY. Each import now checks the rows
-- it wrote in one pass instead (every person, team and batch they name
-- exists, or the transaction is rolled back: batches.rs), and merging two
-- people moves every table's rows before the person goes (people.rs).
ALTER TABLE spell DROP CONSTRAINT IF EXISTS spell_batch_id_fkey;
ALTER TABLE spell DROP CONSTRAINT IF EXISTS spell_person_id_fkey;
ALTER TABLE spell DROP CONSTRAINT IF EXISTS spell_team_id_fkey;
ALTER TABLE absence DROP CONSTRAINT IF EXISTS absence_batch_id_fkey;
ALTER TABLE absence DROP CONSTRAINT IF EXISTS absence_person_id_fkey;
ALTER TABLE caseload DROP CONSTRAINT IF EXISTS caseload_batch_id_fkey;
ALTER TABLE caseload DROP CONSTRAINT IF EXISTS caseload_person_id_fkey;
