-- 0015 what forms' pickers offer, kept in memory beside the organisation tree and the
-- fields of work, under the same version (src/refdata/kept.rs, src/case/fields/
-- options.rs): the localities, and what each collaborator covers. A change to them
-- changes the version in the same transaction, so every node reads them again.
CREATE TRIGGER localities_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON localities
    FOR EACH STATEMENT EXECUTE FUNCTION org_version_bump();
CREATE TRIGGER collaborator_localities_version AFTER INSERT OR UPDATE ON collaborator_localities
    FOR EACH STATEMENT EXECUTE FUNCTION org_version_bump();
CREATE TRIGGER collaborator_fields_version AFTER INSERT OR UPDATE ON collaborator_fields
    FOR EACH STATEMENT EXECUTE FUNCTION org_version_bump();
