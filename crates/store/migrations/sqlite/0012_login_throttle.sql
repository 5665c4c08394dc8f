-- Failed logins by what they were tried from and for (an address, a user
-- name, or both), for growing delays between tries that survive restarts
-- and are shared by every server of one store.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_at TEXT NOT NULL
);
