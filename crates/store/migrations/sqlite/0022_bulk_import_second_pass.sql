-- PostgreSQL's 0022 changes its batch indexes to BRIN, checks people's
-- identifiers once per import and stores the snapshot uncompressed; SQLite
-- keeps its own (unchanged).
SELECT 1;
