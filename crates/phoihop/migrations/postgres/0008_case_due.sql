-- 0008 a case's earliest running deadline on the case itself (PostgreSQL twin of
-- sqlite/0008_case_due.sql): a list line's overdue mark is a comparison on the row
-- being listed, not a probe of the clocks index for each line.
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
