-- 0012 complaints and petitions (đơn thư): what the complaint kind keeps beside its
-- row in `cases` (src/case/kinds/complaint/). Same conventions as 0001.

-- The facts of a letter that queries need as columns: its type, the level handling it
-- and the organisation that does, the day it was received (the legal limits count
-- from it), and the earlier letter it escalates past level, when the check found one
-- (vượt cấp: the same complainant and matter at a lower level still within its limit).
CREATE TABLE complaint_letters (
    case_id         INTEGER PRIMARY KEY REFERENCES cases (id) DEFERRABLE INITIALLY IMMEDIATE,
    letter_type     TEXT NOT NULL
                    CHECK (letter_type IN ('complaint', 'denunciation', 'recommendation', 'report')),
    level           TEXT NOT NULL CHECK (level IN ('commune', 'province', 'central')),
    handling_org_id INTEGER NOT NULL REFERENCES organisations (id) DEFERRABLE INITIALLY IMMEDIATE,
    received_on     TEXT NOT NULL,
    escalated_from  INTEGER REFERENCES cases (id) DEFERRABLE INITIALLY IMMEDIATE
);
-- The counts by field, locality and period read a range of days.
CREATE INDEX complaint_letters_received ON complaint_letters (received_on);

-- Who sent a letter (người gửi đơn): personal data under Law 91/2025/QH15, kept apart
-- from the case so that nothing generic (the case's JSON, search, list exports, the
-- API) can show it; only the complaint module reads it, for the handling organisation
-- and the lead body's staff. Corrected in place (the audit trail says who and when,
-- without the values); never deleted by a user.
--
-- name_key and address_key are the normalised forms the escalation check matches on
-- (folded, honorifics dropped, administrative words dropped); identity_number is
-- digits only.
CREATE TABLE complaint_parties (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES complaint_letters (case_id) DEFERRABLE INITIALLY IMMEDIATE,
    position        INTEGER NOT NULL,
    name            TEXT NOT NULL,
    name_key        TEXT NOT NULL,
    address         TEXT NOT NULL DEFAULT '',
    address_key     TEXT NOT NULL DEFAULT '',
    locality_id     INTEGER REFERENCES localities (id) DEFERRABLE INITIALLY IMMEDIATE,
    phone           TEXT,
    email           TEXT,
    identity_number TEXT,
    created_by      INTEGER REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
    created_at      BIGINT NOT NULL,
    updated_by      INTEGER REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
    updated_at      BIGINT NOT NULL,
    UNIQUE (case_id, position)
);
-- The escalation check's candidates: the same name, newest first; or the same
-- identity number.
CREATE INDEX complaint_parties_name ON complaint_parties (name_key, case_id);
CREATE INDEX complaint_parties_identity ON complaint_parties (identity_number)
    WHERE identity_number IS NOT NULL;

-- The legal time limits an installation has changed from the defaults the code
-- declares (src/case/kinds/complaint/limits.rs), one row per limit changed: a
-- setting an administrator edits while the server runs. A change applies to clocks
-- started after it; the audit trail keeps every change with the values before.
CREATE TABLE complaint_limits (
    code       TEXT PRIMARY KEY,
    days       INTEGER NOT NULL CHECK (days BETWEEN 1 AND 365),
    counting   TEXT NOT NULL CHECK (counting IN ('calendar', 'working')),
    basis      TEXT NOT NULL DEFAULT '',
    changed_by INTEGER REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
    changed_at BIGINT NOT NULL
);
