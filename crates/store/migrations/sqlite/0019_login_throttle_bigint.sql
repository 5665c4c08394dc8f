-- PostgreSQL's login_throttle.failures becomes BIGINT (its 0019); SQLite's
-- INTEGER is 64 bits already, so nothing changes here but the version.
SELECT 1;
