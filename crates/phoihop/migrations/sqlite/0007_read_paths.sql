-- 0007 read paths (issue 3): what the case page and the case lists need to stay fast
-- at a million cases.

-- Each node keeps the organisation tree in memory (src/org/tree.rs) under this number.
-- Every change to `organisations` changes it in the same transaction; triggers do it,
-- so no writer (the pages, the demo, a restore, a test) can forget. It starts at a
-- random number so that two databases (tests side by side, a restored copy) never
-- share one. Derived state: not in backups, never read as data.
CREATE TABLE org_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    v  BIGINT NOT NULL
);
INSERT INTO org_version (id, v) VALUES (1, abs(random() / 4));
CREATE TRIGGER organisations_version_insert AFTER INSERT ON organisations
BEGIN
    UPDATE org_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER organisations_version_update AFTER UPDATE ON organisations
BEGIN
    UPDATE org_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER organisations_version_delete AFTER DELETE ON organisations
BEGIN
    UPDATE org_version SET v = v + 1 WHERE id = 1;
END;

-- A list filtered by kind, state and field pages through exactly its own rows
-- (newest first) instead of every case in that state.
CREATE INDEX cases_kind_state_field ON cases (kind, state, field_id, id);

-- Whether a listed case is overdue is one probe of this index, without reading the
-- clock rows; it replaces the index on case_id alone (its prefix).
CREATE INDEX case_clocks_case_state ON case_clocks (case_id, state, due_on);
DROP INDEX case_clocks_case;
