-- 0002 calendar: the administrator's entries in the working-day calendar.
--
-- Same conventions as 0001 (and the same columns as postgres/0002_calendar.sql): ids
-- are 64-bit integers; instants are Unix milliseconds (UTC) in BIGINT columns named
-- *_at; calendar dates are ISO 'YYYY-MM-DD' text. Nothing is ever deleted by a user
-- action: an entry that no longer holds is withdrawn (withdrawn_at, withdrawn_by).
--
-- The public holidays and compensatory days are computed (src/calendar/holidays.rs),
-- not stored; this table holds only what the law does not say: extra days off and
-- make-up working days decided each year.

CREATE TABLE calendar_days (
    id           INTEGER PRIMARY KEY,
    day          TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('day_off', 'working_day')),
    note         TEXT NOT NULL,
    created_by   INTEGER NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
    created_at   BIGINT NOT NULL,
    withdrawn_at BIGINT,
    withdrawn_by INTEGER REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE
);
-- One entry in force per day; withdrawn ones stay beside it as history. Also the
-- index the calendar is loaded by (entries in force, by day).
CREATE UNIQUE INDEX calendar_days_active_day ON calendar_days (day) WHERE withdrawn_at IS NULL;
