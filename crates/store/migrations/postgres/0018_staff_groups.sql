-- The wider workforce (issue 21): each post's and funded post's staff
-- group (NULL: a social worker in a CSWW role; else the authority's group,
-- such as family_support_worker), and the directorate each team is in.
ALTER TABLE spell ADD COLUMN staff_group TEXT;
ALTER TABLE establishment ADD COLUMN staff_group TEXT;
CREATE TABLE team_directorate (
    team_id BIGINT NOT NULL PRIMARY KEY REFERENCES team (id),
    directorate TEXT NOT NULL
);
