-- 0015 localities kept in memory beside the organisation tree and the fields of work,
-- under the same version (src/refdata/mod.rs): every form's locality picker reads them,
-- and a change to them changes the version, so every node reads them again.
CREATE TRIGGER localities_version_insert AFTER INSERT ON localities
BEGIN
    UPDATE org_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER localities_version_update AFTER UPDATE ON localities
BEGIN
    UPDATE org_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER localities_version_delete AFTER DELETE ON localities
BEGIN
    UPDATE org_version SET v = v + 1 WHERE id = 1;
END;
