-- 0011 retention: what the purge job (notify::retention) removes once it has served its
-- purpose, with the indexes that let it find those rows without reading the tables.

-- Refused sign-ins, counted by the throttle within its window and removed after it.
-- The audit trail keeps its own record of them (see auth::record_refusal).
CREATE TABLE login_failures (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    ip  TEXT NOT NULL,
    at  BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);
CREATE INDEX login_failures_at ON login_failures (at);

CREATE INDEX sessions_last_seen ON sessions (last_seen_at);
CREATE INDEX notifications_read ON notifications (read_at) WHERE read_at IS NOT NULL;
