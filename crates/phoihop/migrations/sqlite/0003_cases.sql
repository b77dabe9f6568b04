-- 0003 cases: coordination programs and the case engine.
--
-- Every kind of joint work (incident, orientation, and the kinds that follow) is a row
-- of `cases`, with its life in `case_events` (append-only: the timeline, the audit and
-- the review figures all read it). What a kind allows is declared in code as data
-- (src/case/kinds/), not in these tables. Same conventions as 0001.

-- A coordination program (chương trình phối hợp) between the lead body and agencies.
CREATE TABLE programs (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    lead_org_id INTEGER NOT NULL REFERENCES organisations (id) DEFERRABLE INITIALLY IMMEDIATE,
    term_from   TEXT NOT NULL,
    term_to     TEXT NOT NULL,
    signed_on   TEXT,
    summary     TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);

-- The parties that signed, with their signatories.
CREATE TABLE program_parties (
    program_id      INTEGER NOT NULL REFERENCES programs (id) DEFERRABLE INITIALLY IMMEDIATE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) DEFERRABLE INITIALLY IMMEDIATE,
    signatory_name  TEXT NOT NULL DEFAULT '',
    signatory_title TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (program_id, organisation_id)
);

CREATE TABLE program_fields (
    program_id INTEGER NOT NULL REFERENCES programs (id) DEFERRABLE INITIALLY IMMEDIATE,
    field_id   INTEGER NOT NULL REFERENCES fields (id) DEFERRABLE INITIALLY IMMEDIATE,
    PRIMARY KEY (program_id, field_id)
);

-- The program's articles (điều, khoản), each with a responsible party.
CREATE TABLE commitments (
    id                 INTEGER PRIMARY KEY,
    program_id         INTEGER NOT NULL REFERENCES programs (id) DEFERRABLE INITIALLY IMMEDIATE,
    number             TEXT NOT NULL,
    title              TEXT NOT NULL,
    body               TEXT NOT NULL DEFAULT '',
    responsible_org_id INTEGER REFERENCES organisations (id) DEFERRABLE INITIALLY IMMEDIATE,
    position           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX commitments_program ON commitments (program_id, position);

-- Human numbers per kind and year: VV-2026-0042.
CREATE TABLE case_counters (
    prefix TEXT NOT NULL,
    year   INTEGER NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (prefix, year)
);

CREATE TABLE cases (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    number          TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL,
    program_id      INTEGER NOT NULL REFERENCES programs (id) DEFERRABLE INITIALLY IMMEDIATE,
    commitment_id   INTEGER REFERENCES commitments (id) DEFERRABLE INITIALLY IMMEDIATE,
    field_id        INTEGER REFERENCES fields (id) DEFERRABLE INITIALLY IMMEDIATE,
    locality_id     INTEGER REFERENCES localities (id) DEFERRABLE INITIALLY IMMEDIATE,
    owner_org_id    INTEGER NOT NULL REFERENCES organisations (id) DEFERRABLE INITIALLY IMMEDIATE,
    assignee_org_id INTEGER REFERENCES organisations (id) DEFERRABLE INITIALLY IMMEDIATE,
    created_by      INTEGER REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
    opened_at       BIGINT NOT NULL,
    closed_at       BIGINT,
    updated_at      BIGINT NOT NULL,
    -- Optimistic concurrency: every change states the version it saw.
    version         INTEGER NOT NULL DEFAULT 1,
    -- Kind-specific fields as a JSON object (the kind's declaration says which).
    data            TEXT NOT NULL DEFAULT '{}'
);
-- Lists filter by kind and state and page by id (keyset, never OFFSET).
CREATE INDEX cases_kind_state ON cases (kind, state, id);
CREATE INDEX cases_owner ON cases (owner_org_id, id);
CREATE INDEX cases_assignee ON cases (assignee_org_id, id);
CREATE INDEX cases_program ON cases (program_id, id);

-- Every change of a case, in order. Never updated, never deleted.
CREATE TABLE case_events (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id) DEFERRABLE INITIALLY IMMEDIATE,
    at           BIGINT NOT NULL,
    actor_id     INTEGER REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
    actor_name   TEXT NOT NULL DEFAULT '',
    actor_org_id INTEGER,
    action       TEXT NOT NULL,
    from_state   TEXT,
    to_state     TEXT,
    note         TEXT NOT NULL DEFAULT '',
    data         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case ON case_events (case_id, id);

CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only');
END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only');
END;

-- Deadlines: a clock per (case, name, organisation whose turn it is), counted in
-- working days. state: running, paused, met, breached.
CREATE TABLE case_clocks (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id) DEFERRABLE INITIALLY IMMEDIATE,
    clock      TEXT NOT NULL,
    org_id     INTEGER REFERENCES organisations (id) DEFERRABLE INITIALLY IMMEDIATE,
    started_at BIGINT NOT NULL,
    due_on     TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('running', 'paused', 'met', 'breached')),
    stopped_at BIGINT,
    breached_at BIGINT
);
CREATE INDEX case_clocks_case ON case_clocks (case_id);
CREATE INDEX case_clocks_due ON case_clocks (state, due_on);

-- Links between cases: an orientation answers incidents.
CREATE TABLE case_links (
    from_case_id INTEGER NOT NULL REFERENCES cases (id) DEFERRABLE INITIALLY IMMEDIATE,
    to_case_id   INTEGER NOT NULL REFERENCES cases (id) DEFERRABLE INITIALLY IMMEDIATE,
    relation     TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (from_case_id, to_case_id, relation)
);
CREATE INDEX case_links_to ON case_links (to_case_id);

-- Organisations a case is sent to (an orientation's addressees) and their receipt.
CREATE TABLE case_recipients (
    case_id         INTEGER NOT NULL REFERENCES cases (id) DEFERRABLE INITIALLY IMMEDIATE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) DEFERRABLE INITIALLY IMMEDIATE,
    sent_at         BIGINT NOT NULL,
    acknowledged_at BIGINT,
    acknowledged_by INTEGER REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
    PRIMARY KEY (case_id, organisation_id)
);
CREATE INDEX case_recipients_org ON case_recipients (organisation_id, case_id);

-- Personal API tokens (Authorization: Bearer …). Only the SHA-256 of a token is kept;
-- revoking is setting revoked_at.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
