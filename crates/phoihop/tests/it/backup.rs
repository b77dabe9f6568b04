//! Backup and restore: a round trip loses nothing.

use phoihop::db::{Db, TABLES_IN_ORDER, Value};
use serde_json::json;

use crate::support::*;

fn dump(db: &Db) -> Vec<(String, Vec<Vec<Value>>)> {
    db.read_blocking(|c| -> Result<_, phoihop::db::DbError> {
        let mut out = Vec::new();
        for table in TABLES_IN_ORDER {
            let rows = c.query(&format!("SELECT * FROM {table} ORDER BY 1"), &[])?;
            out.push((
                (*table).to_owned(),
                rows.into_iter().map(|r| r.into_values()).collect(),
            ));
        }
        Ok(out)
    })
    .expect("dump")
}

#[test]
fn backup_then_restore_into_an_empty_folder_loses_nothing() {
    let app = spawn_app();
    let mut admin = app.signed_in("admin");
    admin.submit("/admin/fields", &[("code", "du-lich"), ("name", "Du lịch")]);
    // An attachment, stored wherever this database keeps files.
    let mut agency = Api::new(&app, "daumoi.syt");
    let (_, created) = agency.post(
        "/api/v1/cases",
        &json!({"kind": "incident", "title": "Tin giả về trường học ở Đăk Tô"}),
    );
    let number = created["number"].as_str().expect("number").to_owned();
    let token = agency.token.clone();
    let (status, uploaded) = api_upload(
        &mut agency.client,
        &token,
        &number,
        "xac-minh.txt",
        "Biên bản xác minh".as_bytes(),
    );
    assert_eq!(status, 201, "{uploaded}");
    let attachment = uploaded["attachment"]["id"].as_i64().expect("id");
    let out = tempfile::tempdir().expect("tmp");
    let backup_dir = out.path().join("backup");
    let db = app.db();
    let summary =
        phoihop::backup::backup(&db, &app.dir, &backup_dir).expect("backup while serving");
    assert!(summary.to_string().ends_with(" files"), "{summary}");
    let before = dump(&db);

    let target_pg = PgDatabase::create();
    let mut config = app.config.clone();
    config.data_dir = out.path().join("restored");
    config.database_url = target_pg.as_ref().map(|p| p.url.clone());
    phoihop::backup::restore(&config, &backup_dir).expect("restore");
    let restored = phoihop::open_db(&config).expect("open restored");
    let after = dump(&restored);
    for ((table, rows_before), (_, rows_after)) in before.iter().zip(&after) {
        if table == "audit_log" {
            // The restore itself is recorded as one more row.
            assert_eq!(rows_after.len(), rows_before.len() + 1);
            assert_eq!(&rows_after[..rows_before.len()], &rows_before[..]);
        } else {
            assert_eq!(rows_before, rows_after, "table {table}");
        }
    }

    // New rows get fresh ids after a restore, and people sign in as before.
    let (dir, url) = (config.data_dir.clone(), config.database_url.clone());
    drop(restored);
    let again = spawn_app_with(Setup {
        reuse: Some((dir, url)),
        ..Setup::default()
    });
    let mut lead = again.signed_in("chuyenvien");
    assert_eq!(
        lead.get_bytes(&format!("/attachments/{attachment}")),
        "Biên bản xác minh".as_bytes(),
        "the file came back with the rows"
    );
    let mut admin = again.signed_in("admin");
    let added = admin.submit("/admin/fields", &[("code", "the-duc"), ("name", "Thể dục")]);
    assert_eq!(added.status, 303, "{}", added.body);
    drop(again);
    drop(target_pg);
}

#[test]
fn restore_refuses_a_folder_that_already_holds_data() {
    let app = spawn_app();
    let out = tempfile::tempdir().expect("tmp");
    let backup_dir = out.path().join("b");
    phoihop::backup::backup(&app.db(), &app.dir, &backup_dir).expect("backup");
    let err = phoihop::backup::restore(&app.config, &backup_dir).expect_err("refused");
    assert!(err.to_string().contains("empty"), "{err}");
    let err = phoihop::backup::backup(&app.db(), &app.dir, &backup_dir).expect_err("refused");
    assert!(err.to_string().contains("not empty"), "{err}");
}

/// A backup taken by an earlier version lacks the tables later migrations added: it
/// restores, those tables start as the migrations leave them. A table the backup lists
/// but whose file is gone is a damaged backup, refused by name.
#[test]
fn a_backup_from_before_a_table_existed_restores() {
    let app = spawn_app();
    let out = tempfile::tempdir().expect("tmp");
    let backup_dir = out.path().join("b");
    phoihop::backup::backup(&app.db(), &app.dir, &backup_dir).expect("backup");
    // As the version before migration 0011 (refused sign-ins) wrote it.
    backup_as_before(&backup_dir, "login_failures", "0011");

    let target_pg = PgDatabase::create();
    let mut config = app.config.clone();
    config.data_dir = out.path().join("restored");
    config.database_url = target_pg.as_ref().map(|p| p.url.clone());
    phoihop::backup::restore(&config, &backup_dir).expect("an older backup restores");
    let restored = phoihop::open_db(&config).expect("open restored");
    let people: i64 = restored
        .read_blocking(|c| c.scalar("SELECT COUNT(*) FROM users", &[]))
        .expect("count");
    assert!(people > 0, "its rows came back");
    drop(restored);

    // Listed but missing: damaged.
    std::fs::remove_file(backup_dir.join("tables/audit_log.jsonl")).expect("remove");
    let target_pg2 = PgDatabase::create();
    config.data_dir = out.path().join("restored-2");
    config.database_url = target_pg2.as_ref().map(|p| p.url.clone());
    let err = phoihop::backup::restore(&config, &backup_dir).expect_err("damaged");
    assert!(format!("{err:#}").contains("audit_log.jsonl"), "{err:#}");
    drop(target_pg);
    drop(target_pg2);
}

#[test]
fn a_backup_from_before_the_collaborators_tables_restores_them_empty() {
    let app = spawn_app();
    let out = tempfile::tempdir().expect("tmp");
    let backup_dir = out.path().join("backup");
    phoihop::backup::backup(&app.db(), &app.dir, &backup_dir).expect("backup");
    let tables = [
        "collaborator_localities",
        "collaborator_fields",
        "report_schedules",
    ];
    for table in tables {
        std::fs::remove_file(backup_dir.join(format!("tables/{table}.jsonl"))).expect("remove");
    }
    let restore_into = |name: &str| {
        let target_pg = PgDatabase::create();
        let mut config = app.config.clone();
        config.data_dir = out.path().join(name);
        config.database_url = target_pg.as_ref().map(|p| p.url.clone());
        (
            phoihop::backup::restore(&config, &backup_dir),
            config,
            target_pg,
        )
    };
    // The manifest still lists the tables: their files are missing, so it is damaged.
    let (refused, _, pg) = restore_into("damaged");
    assert!(refused.is_err(), "a backup missing files is refused");
    drop(pg);
    // As a backup taken before 0013 was written.
    let manifest_path = backup_dir.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest_path).expect("read")).expect("json");
    let migrations = manifest["migrations"].as_array_mut().expect("migrations");
    migrations.retain(|m| m != "0013_collaborators");
    let listed = manifest["tables"].as_array_mut().expect("tables");
    listed.retain(|t| !tables.iter().any(|name| t["name"] == *name));
    std::fs::write(&manifest_path, manifest.to_string()).expect("write");
    let (restored, config, pg) = restore_into("older");
    restored.expect("an older backup restores");
    let db = phoihop::open_db(&config).expect("open restored");
    for table in tables {
        let rows: i64 = db
            .read_blocking(|c| c.scalar(&format!("SELECT COUNT(*) FROM {table}"), &[]))
            .expect("count");
        assert_eq!(rows, 0, "{table}");
    }
    let people: i64 = db
        .read_blocking(|c| c.scalar("SELECT COUNT(*) FROM users", &[]))
        .expect("count");
    assert!(people > 10, "the rest came back");
    drop(db);
    drop(pg);
}
