-- 0015 what forms' pickers offer, kept in memory beside the organisation tree and the
-- fields of work, under the same version (src/refdata/kept.rs, src/case/fields/
-- options.rs): the localities, and what each collaborator covers. A change to them
-- changes the version in the same transaction, so every node reads them again.
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
CREATE TRIGGER collaborator_localities_version_insert AFTER INSERT ON collaborator_localities
BEGIN
    UPDATE org_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER collaborator_localities_version_update AFTER UPDATE ON collaborator_localities
BEGIN
    UPDATE org_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER collaborator_fields_version_insert AFTER INSERT ON collaborator_fields
BEGIN
    UPDATE org_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER collaborator_fields_version_update AFTER UPDATE ON collaborator_fields
BEGIN
    UPDATE org_version SET v = v + 1 WHERE id = 1;
END;
