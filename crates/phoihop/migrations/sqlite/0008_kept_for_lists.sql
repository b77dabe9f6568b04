-- 0008 what every list page reads, kept where it is read (issue 3). Each is derived
-- state kept by triggers in the same transaction as the change, recomputed (never
-- incremented), so no writer can forget and a restore that loads rows in any order
-- ends right.

-- A case's earliest running deadline on the case itself: a list line's overdue mark
-- is then a comparison on the row being listed, not a probe of the clocks index for
-- each of the fifty lines.
--
-- `due_on` is the earliest `due_on` among the case's running clocks (NULL when none
-- runs). Triggers keep it, in the same transaction as the clock change, so no writer
-- (the engine, the demo, a restore, the benchmark's generator) can forget. Derived
-- state: recomputed whenever a clock changes.
ALTER TABLE cases ADD COLUMN due_on TEXT;
UPDATE cases SET due_on = (SELECT min(k.due_on) FROM case_clocks k
                           WHERE k.case_id = cases.id AND k.state = 'running');
CREATE TRIGGER case_clocks_due_insert AFTER INSERT ON case_clocks
BEGIN
    UPDATE cases SET due_on = (SELECT min(k.due_on) FROM case_clocks k
                               WHERE k.case_id = NEW.case_id AND k.state = 'running')
     WHERE id = NEW.case_id;
END;
CREATE TRIGGER case_clocks_due_update AFTER UPDATE OF state, due_on, case_id ON case_clocks
BEGIN
    UPDATE cases SET due_on = (SELECT min(k.due_on) FROM case_clocks k
                               WHERE k.case_id = cases.id AND k.state = 'running')
     WHERE id IN (OLD.case_id, NEW.case_id);
END;
CREATE TRIGGER case_clocks_due_delete AFTER DELETE ON case_clocks
BEGIN
    UPDATE cases SET due_on = (SELECT min(k.due_on) FROM case_clocks k
                               WHERE k.case_id = OLD.case_id AND k.state = 'running')
     WHERE id = OLD.case_id;
END;

-- A list filtered by kind, state and field reads its fifty lines from this index
-- alone, without fifty lookups into the cases table (bench/RESULTS.md: about +15 % on
-- that page at a million cases, for about 80 MB more index there). The assignee is in
-- it too: an agency's list tests owner and assignee on every candidate line, and a
-- lookup into the table for each would make it slower than without the index. Other
-- filters still read their rows from the table.
DROP INDEX cases_kind_state_field;
CREATE INDEX cases_kind_state_field ON cases
    (kind, state, field_id, id, number, title, owner_org_id, assignee_org_id, opened_at, due_on);

-- A person's unread notifications, counted up to 100 (shown as 99+): the session
-- lookup of every page reads it instead of walking the notifications index.
ALTER TABLE users ADD COLUMN unread INTEGER NOT NULL DEFAULT 0;
UPDATE users SET unread = (SELECT COUNT(*) FROM (SELECT 1 FROM notifications n
                           WHERE n.user_id = users.id AND n.read_at IS NULL LIMIT 100) u);
CREATE TRIGGER notifications_unread_insert AFTER INSERT ON notifications
BEGIN
    UPDATE users SET unread = (SELECT COUNT(*) FROM (SELECT 1 FROM notifications n
                               WHERE n.user_id = users.id AND n.read_at IS NULL LIMIT 100) u)
     WHERE id = NEW.user_id;
END;
CREATE TRIGGER notifications_unread_update AFTER UPDATE OF read_at, user_id ON notifications
BEGIN
    UPDATE users SET unread = (SELECT COUNT(*) FROM (SELECT 1 FROM notifications n
                               WHERE n.user_id = users.id AND n.read_at IS NULL LIMIT 100) u)
     WHERE id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER notifications_unread_delete AFTER DELETE ON notifications
BEGIN
    UPDATE users SET unread = (SELECT COUNT(*) FROM (SELECT 1 FROM notifications n
                               WHERE n.user_id = users.id AND n.read_at IS NULL LIMIT 100) u)
     WHERE id = OLD.user_id;
END;

-- The fields of work are kept in memory beside the organisation tree, under the same
-- version (src/refdata/mod.rs): a change to them changes it too.
CREATE TRIGGER fields_version_insert AFTER INSERT ON fields
BEGIN
    UPDATE org_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER fields_version_update AFTER UPDATE ON fields
BEGIN
    UPDATE org_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER fields_version_delete AFTER DELETE ON fields
BEGIN
    UPDATE org_version SET v = v + 1 WHERE id = 1;
END;
