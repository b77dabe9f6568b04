-- Public-opinion reports (báo cáo dư luận xã hội) as the roll-up and the once-per-period
-- rule need them: which collaborator filed which case for which period. The rows of a
-- report (topic, field, locality, attitude, opinions, proposals) stay in the case's
-- data; this table is the index over them. `period` is a code of
-- `case::kinds::opinion_report::period::Period` ('2026-11', '2026-Q4'). A schedule's
-- report is opened by the kind's daily job once its period is over (`expected.rs`).
CREATE TABLE opinion_reports (
    case_id     INTEGER PRIMARY KEY REFERENCES cases (id) DEFERRABLE INITIALLY IMMEDIATE,
    reporter_id INTEGER NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY IMMEDIATE,
    org_id      INTEGER NOT NULL REFERENCES organisations (id) DEFERRABLE INITIALLY IMMEDIATE,
    period      TEXT NOT NULL,
    -- For a report its schedule expects: the day it is due, the day to remind its
    -- collaborator, and when they were reminded (once).
    due_on      TEXT,
    remind_on   TEXT,
    reminded_at BIGINT,
    UNIQUE (reporter_id, period)
);
CREATE INDEX opinion_reports_period ON opinion_reports (period, org_id);
CREATE INDEX opinion_reports_to_remind ON opinion_reports (remind_on) WHERE reminded_at IS NULL;

-- What a collaborator filed: their own list walks this, newest first.
CREATE INDEX cases_created_by ON cases (created_by, id);
