-- 0005 notify: in-app notifications, and leases so that background jobs run on one
-- node at a time when several share a database.

-- One notification for one person. Reading it is an event (read_at), not a deletion.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
    case_id    INTEGER REFERENCES cases (id) DEFERRABLE INITIALLY IMMEDIATE,
    kind       TEXT NOT NULL,
    message    TEXT NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    read_at    BIGINT,
    -- Sent by e-mail too (when SMTP is configured and the person has an address).
    mailed_at  BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, read_at, id);
CREATE INDEX notifications_unmailed ON notifications (mailed_at, id);

-- A background job (e.g. the clock check) is run by whichever node holds its lease.
CREATE TABLE job_leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    last_run_at BIGINT
);
