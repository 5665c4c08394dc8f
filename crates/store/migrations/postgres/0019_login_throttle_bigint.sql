-- The failures of a login throttle key are read as a 64-bit count: as
-- INTEGER they could not be read back, so on PostgreSQL failed logins were
-- counted but never made anyone wait.
ALTER TABLE login_throttle ALTER COLUMN failures TYPE BIGINT;
