-- 0013 collaborators (issue 11, item 4): public-opinion collaborators (cộng tác viên dư
-- luận xã hội) and their reporting schedules. Same tables and columns as
-- postgres/0013_collaborators.sql.
--
-- A collaborator is an account (`users`) with the role 'collaborator', registered under
-- the organisation of its row (an agency or the lead body), usually a person outside
-- it. What they cover is a row per locality and per field, from when it was added to
-- when it was removed (instants, Unix ms): nothing is deleted (the triggers refuse it),
-- so that the roll-up of a past period knows whom each locality had then. No field
-- rows means every field.
CREATE TABLE collaborator_localities (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
    locality_id INTEGER NOT NULL REFERENCES localities (id) DEFERRABLE INITIALLY IMMEDIATE,
    added_at    BIGINT NOT NULL,
    removed_at  BIGINT,
    CHECK (removed_at IS NULL OR removed_at >= added_at)
);
-- A collaborator covers a locality once at a time.
CREATE UNIQUE INDEX collaborator_localities_current
    ON collaborator_localities (user_id, locality_id) WHERE removed_at IS NULL;
-- Who covers a locality now.
CREATE INDEX collaborator_localities_locality
    ON collaborator_localities (locality_id, user_id) WHERE removed_at IS NULL;

CREATE TABLE collaborator_fields (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
    field_id   INTEGER NOT NULL REFERENCES fields (id) DEFERRABLE INITIALLY IMMEDIATE,
    added_at   BIGINT NOT NULL,
    removed_at BIGINT,
    CHECK (removed_at IS NULL OR removed_at >= added_at)
);
CREATE UNIQUE INDEX collaborator_fields_current
    ON collaborator_fields (user_id, field_id) WHERE removed_at IS NULL;

CREATE TRIGGER collaborator_localities_no_delete BEFORE DELETE ON collaborator_localities
BEGIN
    SELECT RAISE(ABORT, 'collaborator_localities keeps its history: set removed_at');
END;
CREATE TRIGGER collaborator_fields_no_delete BEFORE DELETE ON collaborator_fields
BEGIN
    SELECT RAISE(ABORT, 'collaborator_fields keeps its history: set removed_at');
END;

-- Reporting schedules (lịch báo cáo), a history per collaborator: a change is a new
-- row in force from `valid_from` (an ISO date), never an update or a delete (the
-- triggers refuse both). The row in force on a date is the one with the latest
-- `valid_from` on or before it, the higher id among rows of the same date.
-- `cadence`: 'monthly', 'quarterly' or 'ad_hoc' (no report expected). `due_day`: the
-- day of the month after the period by which its report is due, 1–28, or 0 for that
-- month's last day; NULL exactly when ad hoc. `remind_days`: how many days before the
-- due date the collaborator is reminded (0: not reminded). The arithmetic is
-- `case::kinds::opinion_report::period`. `created_by` is NULL for the demo's rows.
CREATE TABLE report_schedules (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
    cadence     TEXT NOT NULL CHECK (cadence IN ('monthly', 'quarterly', 'ad_hoc')),
    due_day     INTEGER CHECK (due_day BETWEEN 0 AND 28),
    remind_days INTEGER NOT NULL DEFAULT 3 CHECK (remind_days BETWEEN 0 AND 20),
    valid_from  TEXT NOT NULL,
    created_by  INTEGER REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
    created_at  BIGINT NOT NULL,
    CHECK ((cadence = 'ad_hoc') = (due_day IS NULL))
);
CREATE INDEX report_schedules_user ON report_schedules (user_id, valid_from, id);

CREATE TRIGGER report_schedules_no_update BEFORE UPDATE ON report_schedules
BEGIN
    SELECT RAISE(ABORT, 'report_schedules is append-only');
END;
CREATE TRIGGER report_schedules_no_delete BEFORE DELETE ON report_schedules
BEGIN
    SELECT RAISE(ABORT, 'report_schedules is append-only');
END;
