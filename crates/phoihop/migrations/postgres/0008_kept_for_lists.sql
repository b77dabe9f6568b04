-- 0008 what every list page reads, kept where it is read (PostgreSQL twin of
-- sqlite/0008_kept_for_lists.sql): derived state kept by triggers in the same
-- transaction as the change, recomputed (never incremented).

-- A case's earliest running deadline on the case itself: a list line's overdue mark
-- is a comparison on the row being listed, not a probe of the clocks index per line.
--
-- `due_on` is the earliest `due_on` among the case's running clocks (NULL when none
-- runs), kept by a trigger in the same transaction as the clock change.
ALTER TABLE cases ADD COLUMN due_on TEXT;
UPDATE cases SET due_on = (SELECT min(k.due_on) FROM case_clocks k
                           WHERE k.case_id = cases.id AND k.state = 'running');
CREATE FUNCTION case_due_recompute() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE cases SET due_on = (SELECT min(k.due_on) FROM case_clocks k
                                   WHERE k.case_id = OLD.case_id AND k.state = 'running')
         WHERE id = OLD.case_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE cases SET due_on = (SELECT min(k.due_on) FROM case_clocks k
                                   WHERE k.case_id = NEW.case_id AND k.state = 'running')
         WHERE id = NEW.case_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER case_clocks_due AFTER INSERT OR DELETE OR UPDATE OF state, due_on, case_id
    ON case_clocks FOR EACH ROW EXECUTE FUNCTION case_due_recompute();

-- A list filtered by kind, state and field reads its lines from this index alone
-- (an index-only scan where the visibility map allows).
DROP INDEX cases_kind_state_field;
CREATE INDEX cases_kind_state_field ON cases (kind, state, field_id, id)
    INCLUDE (number, title, owner_org_id, assignee_org_id, opened_at, due_on);

-- A person's unread notifications, counted up to 100 (shown as 99+), for the session
-- lookup of every page.
ALTER TABLE users ADD COLUMN unread BIGINT NOT NULL DEFAULT 0;
UPDATE users SET unread = (SELECT COUNT(*) FROM (SELECT 1 FROM notifications n
                           WHERE n.user_id = users.id AND n.read_at IS NULL LIMIT 100) u);
CREATE FUNCTION users_unread_recompute() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE users SET unread = (SELECT COUNT(*) FROM (SELECT 1 FROM notifications n
                                   WHERE n.user_id = OLD.user_id AND n.read_at IS NULL LIMIT 100) u)
         WHERE id = OLD.user_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE users SET unread = (SELECT COUNT(*) FROM (SELECT 1 FROM notifications n
                                   WHERE n.user_id = NEW.user_id AND n.read_at IS NULL LIMIT 100) u)
         WHERE id = NEW.user_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER notifications_unread AFTER INSERT OR DELETE OR UPDATE OF read_at, user_id
    ON notifications FOR EACH ROW EXECUTE FUNCTION users_unread_recompute();

-- The fields of work are kept in memory beside the organisation tree, under the same
-- version (src/refdata/mod.rs): a change to them changes it too.
CREATE TRIGGER fields_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON fields
    FOR EACH STATEMENT EXECUTE FUNCTION org_version_bump();
