-- 0015 localities kept in memory beside the organisation tree and the fields of work,
-- under the same version (src/refdata/mod.rs): every form's locality picker reads them,
-- and a change to them changes the version, so every node reads them again.
CREATE TRIGGER localities_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON localities
    FOR EACH STATEMENT EXECUTE FUNCTION org_version_bump();
