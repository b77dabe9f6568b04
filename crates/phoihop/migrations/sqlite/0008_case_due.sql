-- 0008 a case's earliest running deadline on the case itself (issue 3): a list line's
-- overdue mark is then a comparison on the row being listed, not a probe of the clocks
-- index for each of the fifty lines.
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
