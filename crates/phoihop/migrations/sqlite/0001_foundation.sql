-- 0001 foundation: reference data, organisations, people, sessions, audit.
--
-- Conventions shared with the PostgreSQL tree (same file names, same tables, same
-- columns): ids are 64-bit integers; instants are Unix milliseconds (UTC) in BIGINT
-- columns named *_at; calendar dates are ISO 'YYYY-MM-DD' text; flags are 0/1 integers;
-- *_folded columns hold vntext::fold() of the column before them, for searching
-- without diacritics. Nothing is ever deleted by a user action.

-- Key-value settings of this installation (e.g. whether demo data was created).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Fields of work (lĩnh vực): health, education, science and technology, …
CREATE TABLE fields (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    active     INTEGER NOT NULL DEFAULT 1,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

-- Localities (địa bàn): the province and, since 2025, its communes, wards and special
-- zones directly below it. Loaded from a CSV an administrator may replace; a locality
-- that disappears is closed (valid_to), never deleted, because old cases point at it.
CREATE TABLE localities (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('province', 'commune', 'ward', 'special_zone')),
    parent_id   INTEGER REFERENCES localities (id) DEFERRABLE INITIALLY IMMEDIATE,
    valid_from  TEXT,
    valid_to    TEXT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX localities_parent ON localities (parent_id);

-- Organisations: the lead body and its offices, partner agencies and their units.
-- A rename writes organisation_names; a merge closes the organisation (valid_to) and
-- points it at its successor, so its people and cases stay findable under both names.
CREATE TABLE organisations (
    id           INTEGER PRIMARY KEY,
    parent_id    INTEGER REFERENCES organisations (id) DEFERRABLE INITIALLY IMMEDIATE,
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    name_folded  TEXT NOT NULL,
    body_type    TEXT NOT NULL CHECK (body_type IN ('party', 'state', 'association')),
    role         TEXT NOT NULL CHECK (role IN ('lead', 'partner', 'office', 'unit')),
    locality_id  INTEGER REFERENCES localities (id) DEFERRABLE INITIALLY IMMEDIATE,
    valid_from   TEXT NOT NULL,
    valid_to     TEXT,
    successor_id INTEGER REFERENCES organisations (id) DEFERRABLE INITIALLY IMMEDIATE,
    created_at   BIGINT NOT NULL
);
CREATE INDEX organisations_parent ON organisations (parent_id);
-- Codes appear in document symbols, so two current organisations never share one.
CREATE UNIQUE INDEX organisations_current_code ON organisations (code) WHERE valid_to IS NULL;

-- Every name and code an organisation has carried, current one included.
CREATE TABLE organisation_names (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) DEFERRABLE INITIALLY IMMEDIATE,
    name            TEXT NOT NULL,
    name_folded     TEXT NOT NULL,
    code            TEXT NOT NULL,
    valid_from      TEXT NOT NULL,
    valid_to        TEXT
);
CREATE INDEX organisation_names_org ON organisation_names (organisation_id);

CREATE TABLE organisation_fields (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) DEFERRABLE INITIALLY IMMEDIATE,
    field_id        INTEGER NOT NULL REFERENCES fields (id) DEFERRABLE INITIALLY IMMEDIATE,
    PRIMARY KEY (organisation_id, field_id)
);

-- People with an account. Each belongs to one organisation and has one role.
-- demo_account = 1 marks accounts that sign in only while the server runs in demo mode.
CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    username            TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    display_name_folded TEXT NOT NULL,
    email               TEXT,
    phone               TEXT,
    title               TEXT NOT NULL DEFAULT '',
    organisation_id     INTEGER NOT NULL REFERENCES organisations (id) DEFERRABLE INITIALLY IMMEDIATE,
    role                TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    active              INTEGER NOT NULL DEFAULT 1,
    demo_account        INTEGER NOT NULL DEFAULT 0,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
-- Covers the counts of active people, in all and per organisation.
CREATE INDEX users_active_organisation ON users (active, organisation_id);
CREATE INDEX users_organisation ON users (organisation_id);

-- Server-side sessions, shared by every node. The cookie carries a random token; only
-- its SHA-256 is stored. A session ends by sign-out or idleness (ended_at, end_reason).
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
    csrf_token   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    ended_at     BIGINT,
    end_reason   TEXT,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

-- The audit trail: append-only (the triggers below refuse changes).
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY,
    at            BIGINT NOT NULL,
    actor_id      INTEGER REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
    actor_name    TEXT NOT NULL DEFAULT '',
    actor_org_id  INTEGER,
    ip            TEXT NOT NULL DEFAULT '',
    action        TEXT NOT NULL,
    subject_type  TEXT NOT NULL DEFAULT '',
    subject_id    TEXT NOT NULL DEFAULT '',
    detail        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_action_subject ON audit_log (action, subject_id, at);
CREATE INDEX audit_log_action_ip ON audit_log (action, ip, at);
-- A person's own trail (their sign-ins on the home page), counted from the index alone.
CREATE INDEX audit_log_actor ON audit_log (actor_id, action, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
