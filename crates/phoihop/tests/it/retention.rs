//! The purge job keeps each table it cleans bounded however long a node runs, keeps
//! what it must (unread notifications, the newest outbox row, everything people made),
//! and a backup taken after a purge restores.

use phoihop::db::{Conn, Db, DbError};
use phoihop::notify::retention::{Retention, purge};
use phoihop::params;

use crate::support::*;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

fn count(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    db.read_blocking(move |c| c.scalar::<i64>(&sql, &[]))
        .expect("count")
}

/// One day of a busy installation, written at `day`: sign-ins, changes, notifications
/// read the same day, one left unread, and someone trying passwords.
fn live_one_day(c: &mut dyn Conn, day: i64, user: i64) -> Result<(), DbError> {
    for i in 0..20 {
        c.execute(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at)
             VALUES ($1, $2, 'x', $3, $4)",
            params![format!("replay-{day}-{i}"), user, day, day + i * 60_000],
        )?;
    }
    for i in 0..60 {
        c.execute(
            "INSERT INTO outbox (at, topic, ref_id) VALUES ($1, 'case', $2)",
            params![day + i * 1000, 1],
        )?;
    }
    for i in 0..20 {
        c.execute(
            "INSERT INTO notifications (user_id, kind, message, created_at, read_at)
             VALUES ($1, 'replay', 'Thông báo', $2, $3)",
            params![user, day, (i < 19).then_some(day + 3_600_000)],
        )?;
    }
    for i in 0..10 {
        c.execute(
            "INSERT INTO login_failures (key, ip, at) VALUES ('khach', '203.0.113.9', $1)",
            params![day + i * 1000],
        )?;
    }
    Ok(())
}

#[test]
fn a_long_replay_keeps_each_purged_table_bounded_and_a_backup_after_it_restores() {
    let app = spawn_app();
    let db = app.db();
    let user: i64 = db
        .read_blocking(|c| c.scalar("SELECT id FROM users WHERE username = 'chuyenvien'", &[]))
        .expect("user");
    let keep = Retention::default();
    let start = phoihop::clock::now_ms() - 200 * DAY_MS;
    let tables = ["sessions", "outbox", "notifications", "login_failures"];
    let before: Vec<i64> = tables.iter().map(|t| count(&db, t)).collect();
    let per_day = [20, 60, 20, 10];
    let kept_days = [
        keep.sessions_days,
        keep.outbox_days,
        keep.read_notifications_days,
        0,
    ];
    let unread_before = count(&db, "notifications WHERE read_at IS NULL");
    for n in 0..200 {
        let day = start + n * DAY_MS;
        db.write_blocking(|c| {
            live_one_day(c, day, user)?;
            purge(c, day + DAY_MS - 1, &keep)
        })
        .expect("a day");
        for (i, table) in tables.iter().enumerate() {
            // What is inside the retention (and the day being written), plus what was
            // there before the replay (the demo's own rows, all recent), plus the
            // notifications nobody read, which stay.
            let unread = if *table == "notifications" { n + 1 } else { 0 };
            let bound = before[i] + per_day[i] * (kept_days[i] + 2) + unread;
            let now = count(&db, table);
            assert!(now <= bound, "day {n}: {table} holds {now} > {bound}");
        }
    }
    // Kept: every unread notification, the newest outbox row, the audit trail.
    assert_eq!(
        count(&db, "notifications WHERE read_at IS NULL"),
        unread_before + 200
    );
    let newest: i64 = db
        .read_blocking(|c| c.scalar("SELECT MAX(id) FROM outbox", &[]))
        .expect("newest");
    assert!(newest > 0);

    // A backup after the purge restores, whole.
    let out = tempfile::tempdir().expect("tmp");
    let backup_dir = out.path().join("backup");
    phoihop::backup::backup(&db, &app.dir, &backup_dir).expect("backup after a purge");
    let target_pg = PgDatabase::create();
    let mut config = app.config.clone();
    config.data_dir = out.path().join("restored");
    config.database_url = target_pg.as_ref().map(|p| p.url.clone());
    phoihop::backup::restore(&config, &backup_dir).expect("restore");
    let restored = phoihop::open_db(&config).expect("open restored");
    for table in tables.iter().chain(&["cases", "case_events"]) {
        assert_eq!(count(&restored, table), count(&db, table), "{table}");
    }
    drop(restored);
    drop(target_pg);
}

/// The throttle still counts every refusal, but while it refuses, only the first of
/// its refusals is written to the audit trail: a night of guessing adds a handful of
/// rows, not one per guess.
#[test]
fn throttled_sign_ins_are_counted_without_growing_the_audit_trail() {
    let app = spawn_app_with(Setup {
        max_failures: 3,
        ..Setup::default()
    });
    let db = app.db();
    let audited = || count(&db, "audit_log WHERE action = 'login_failed'");
    let before = audited();
    let mut client = app.client();
    for _ in 0..20 {
        let response =
            client.post_form("/login", &[("username", "chuyenvien"), ("password", "sai")]);
        assert_eq!(response.status, 200);
    }
    assert_eq!(count(&db, "login_failures"), 20);
    // Three wrong passwords, then the first refusal of the account's throttle, and the
    // first of the address's (at four times as many).
    assert_eq!(audited() - before, 5);
    let response = client.post_form(
        "/login",
        &[("username", "chuyenvien"), ("password", "demo")],
    );
    assert_eq!(
        response.status, 200,
        "still throttled with the right password"
    );
}
