//! Nodes as an operator runs them: a node whose database connections are all
//! terminated recovers by itself with no acknowledged write lost, and two nodes with
//! their own data folders on one PostgreSQL serve each other's attachments. Both are
//! about PostgreSQL; on SQLite (one node, one file) they have nothing to test.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::{Api, Setup, api_upload, spawn_app, spawn_app_with, wait_until};

/// Ends every connection to the test's database but the one asking.
fn terminate_backends(url: &str) -> i64 {
    let mut admin = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    admin
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .expect("terminate")
        .get(0)
}

#[test]
fn a_node_recovers_when_its_database_connections_are_terminated() {
    let app = spawn_app();
    let Some(url) = app.config.database_url.clone() else {
        eprintln!("skipped: PostgreSQL only (PHOIHOP_TEST_DATABASE_URL)");
        return;
    };
    let mut reader = Api::new(&app, "chuyenvien");
    let (status, _) = reader.get("/api/v1/cases");
    assert_eq!(status, 200);

    // Writes in flight on another thread while the connections are cut under them.
    let stop = AtomicBool::new(false);
    let answered = AtomicUsize::new(0);
    // Waits until the writer has had `more` more answers: writes are in flight.
    let writes_go_on = |more: usize| {
        let from = answered.load(Ordering::Relaxed);
        wait_until(Duration::from_secs(10), || {
            answered.load(Ordering::Relaxed) >= from + more
        });
    };
    let mut writer = Api::new(&app, "daumoi.syt");
    let outcomes = std::thread::scope(|scope| {
        let writing = scope.spawn(|| {
            let mut outcomes = Vec::new();
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let title = format!("Sự cố mất điện kéo dài lần {n} tại xã Ia Chim");
                let (status, body) = writer.post(
                    "/api/v1/cases",
                    &json!({"kind": "incident", "title": title}),
                );
                outcomes.push((status, body, title));
                answered.fetch_add(1, Ordering::Relaxed);
            }
            outcomes
        });
        writes_go_on(2);
        for round in 0..3 {
            let ended = terminate_backends(&url);
            assert!(ended > 0, "round {round}: the node had connections to end");
            // The node answers normally again, quickly, without anyone restarting it.
            let cut = Instant::now();
            loop {
                let (status, body) = reader.get("/api/v1/cases");
                if status == 200 {
                    break;
                }
                assert_eq!(status, 503, "only 'unavailable' while recovering: {body}");
                assert_eq!(body["error"]["code"], "unavailable", "{body}");
                assert!(
                    cut.elapsed() < Duration::from_secs(5),
                    "still failing after {:?}",
                    cut.elapsed()
                );
                std::thread::sleep(Duration::from_millis(50));
            }
            assert!(cut.elapsed() < Duration::from_secs(5));
            writes_go_on(2);
        }
        stop.store(true, Ordering::Relaxed);
        writing.join().expect("writer")
    });
    let acknowledged: Vec<_> = outcomes
        .iter()
        .filter(|(status, _, _)| *status == 201)
        .collect();
    assert!(acknowledged.len() > 3, "writes went on: {}", outcomes.len());
    for (status, body, _) in &outcomes {
        assert!(
            *status == 201 || (*status == 503 && body["error"]["code"] == "unavailable"),
            "a write answered {status}: {body}"
        );
    }
    // No acknowledged write is lost.
    for (_, body, title) in &acknowledged {
        let number = body["number"].as_str().expect("number");
        let (status, case) = reader.get(&format!("/api/v1/cases/{number}"));
        assert_eq!(status, 200, "{number} was acknowledged and is gone");
        assert_eq!(case["title"], title.as_str());
    }
    // The health check says the database answers; the indexer picked up again.
    assert_eq!(app.client().get("/healthz").status, 200);
    let (_, last, title) = acknowledged.last().expect("one");
    let number = last["number"].as_str().expect("number").to_owned();
    let query: String = format!("\"{title}\"")
        .bytes()
        .map(|b| format!("%{b:02X}"))
        .collect();
    wait_until(Duration::from_secs(10), || {
        let (_, found) = reader.get(&format!("/api/v1/search?q={query}"));
        found["results"]
            .as_array()
            .is_some_and(|r| r.iter().any(|hit| hit["case_number"] == number.as_str()))
    });
}

/// On SQLite a full disk (here: the file may not grow) refuses the write with
/// "unavailable" (a 503, not a 500), and what was there stays whole.
#[test]
fn a_full_sqlite_disk_refuses_writes_and_keeps_its_data() {
    use phoihop::db::{Db, DbError, Location, Options};
    let tmp = tempfile::tempdir().expect("tmp");
    let db = Db::open(
        &Location::SqliteFolder(tmp.path().to_owned()),
        &Options::default(),
    )
    .expect("open");
    let count = |db: &Db| -> i64 {
        db.read_blocking(|c| c.scalar::<i64>("SELECT COUNT(*) FROM settings", &[]))
            .expect("count")
    };
    let before = count(&db);
    let big = "x".repeat(64 * 1024);
    let refused = db.write_blocking(|c| -> Result<(), DbError> {
        // The writer is one connection: the setting holds for this write only
        // because it is undone below.
        c.batch("COMMIT")?;
        c.batch("PRAGMA max_page_count = 1")?;
        c.batch("BEGIN IMMEDIATE")?;
        for n in 0..64 {
            c.execute(
                "INSERT INTO settings (key, value) VALUES ($1, $2)",
                phoihop::params![format!("filler-{n}"), big.as_str()],
            )?;
        }
        Ok(())
    });
    assert!(
        matches!(refused, Err(DbError::Unavailable(_))),
        "{refused:?}"
    );
    db.write_blocking(|c| -> Result<(), DbError> {
        c.batch("COMMIT")?;
        c.batch("PRAGMA max_page_count = 1073741823")?;
        c.batch("BEGIN IMMEDIATE")
    })
    .expect("limits lifted");
    assert_eq!(count(&db), before, "nothing half-written");
    let ok: String = db
        .read_blocking(|c| c.scalar("PRAGMA integrity_check", &[]))
        .expect("check");
    assert_eq!(ok, "ok");
}

/// Two nodes on one PostgreSQL, each with its own data folder (the documented way to
/// scale out): a file uploaded through one downloads, byte for byte, through the other.
#[test]
fn two_nodes_with_their_own_folders_serve_each_others_attachments() {
    let first = spawn_app();
    let Some(url) = first.config.database_url.clone() else {
        eprintln!("skipped: PostgreSQL only (PHOIHOP_TEST_DATABASE_URL)");
        return;
    };
    let second = spawn_app_with(Setup {
        join: Some(url),
        ..Setup::default()
    });
    assert_ne!(first.dir, second.dir);
    let mut agency = Api::new(&first, "daumoi.syt");
    let (status, created) = agency.post(
        "/api/v1/cases",
        &json!({"kind": "incident", "title": "Báo chí phản ánh sai về dịch sởi ở Kon Plông"}),
    );
    assert_eq!(status, 201, "{created}");
    let number = created["number"].as_str().expect("number").to_owned();
    // Every byte value, and more than one chunk's worth of them.
    let mut bytes = "Báo cáo xác minh\n".as_bytes().to_vec();
    bytes.extend((0..(1024 * 1024 + 4097)).map(|i| b"0123456789 abcdef\n"[i % 18]));
    let token = agency.token.clone();
    let (status, uploaded) = api_upload(&mut agency.client, &token, &number, "bao-cao.txt", &bytes);
    assert_eq!(status, 201, "{uploaded}");
    let id = uploaded["attachment"]["id"].as_i64().expect("id");

    let mut lead = second.signed_in("chuyenvien");
    let downloaded = lead.get_bytes(&format!("/attachments/{id}"));
    assert_eq!(downloaded.len(), bytes.len());
    assert!(downloaded == bytes, "the second node served other bytes");
    // Through the second node's API too, and nothing was written to either folder.
    let mut on_second = Api::new(&second, "daumoi.syt");
    let response = on_second.client.get_with(
        &format!("/api/v1/attachments/{id}"),
        &[("Authorization", &format!("Bearer {}", on_second.token))],
    );
    assert_eq!(response.status, 200);
    assert!(!first.dir.join("files").exists());
    assert!(!second.dir.join("files").exists());
}

/// A node that kept attachment files in its data folder before they lived in the
/// database moves them in at start, and keeps the folder under another name.
#[test]
fn files_kept_in_a_data_folder_move_into_the_database() {
    let app = spawn_app();
    if app.config.database_url.is_none() {
        eprintln!("skipped: PostgreSQL only (PHOIHOP_TEST_DATABASE_URL)");
        return;
    }
    let db = app.db();
    let folder = tempfile::tempdir().expect("tmp");
    let bytes = "Công văn số 12/CV-BTG".as_bytes();
    let sha = phoihop::attachment::store::sha256_hex(bytes);
    let path = folder.path().join("files").join(&sha[..2]);
    std::fs::create_dir_all(&path).expect("folder");
    std::fs::write(path.join(&sha[2..]), bytes).expect("file");
    let moved = phoihop::attachment::store::adopt_folder(&db, folder.path()).expect("moved");
    assert_eq!(moved, 1);
    let store = phoihop::attachment::FileStore::new(folder.path(), db.backend());
    assert_eq!(store.read(&db, &sha).expect("in the database"), bytes);
    assert!(!folder.path().join("files").exists());
    assert!(
        folder
            .path()
            .join("files-moved-to-database")
            .join(&sha[..2])
            .join(&sha[2..])
            .exists(),
        "the old folder is kept"
    );
    // Nothing left to do the next time.
    assert_eq!(
        phoihop::attachment::store::adopt_folder(&db, folder.path()).expect("again"),
        0
    );
}
