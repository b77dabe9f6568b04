//! Shared by both bench binaries: data set, the page pattern's SQL, a tiny
//! connection pool for blocking drivers, and the measuring harness.
//! (`sqlx-sqlite/` includes this file by path, because sqlx 0.8's sqlite
//! driver and rusqlite 0.37 cannot share one Cargo.lock: both link sqlite3.)
#![allow(dead_code)] // each binary / feature set uses a different part

use std::error::Error;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

// ---- data size --------------------------------------------------------------
pub const ORGS: i64 = 50;
pub const USERS: i64 = 2_000;
pub const SESSIONS: i64 = 10_000;
pub const AUDIT: i64 = 200_000;
/// The "current time" passed to the session query; every session expires later.
pub const NOW: i64 = 1_760_000_000;

// ---- the page pattern ---------------------------------------------------------
/// The four statements of one signed-in home page, `$n` placeholders (PostgreSQL).
pub const PG_SQL: [&str; 4] = [
    "SELECT u.id, u.email, u.display_name, o.id, o.name \
     FROM sessions s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.org_id \
     WHERE s.token_hash = $1 AND s.expires_at > $2",
    "SELECT COUNT(*) FROM users WHERE org_id = $1",
    "SELECT COUNT(*) FROM organisations",
    "SELECT COUNT(*) FROM audit WHERE user_id = $1",
];
/// The same with `?n` placeholders (SQLite).
pub const SQLITE_SQL: [&str; 4] = [
    "SELECT u.id, u.email, u.display_name, o.id, o.name \
     FROM sessions s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.org_id \
     WHERE s.token_hash = ?1 AND s.expires_at > ?2",
    "SELECT COUNT(*) FROM users WHERE org_id = ?1",
    "SELECT COUNT(*) FROM organisations",
    "SELECT COUNT(*) FROM audit WHERE user_id = ?1",
];

/// What the page needs; every candidate returns this.
#[derive(Debug, PartialEq, Eq)]
pub struct Page {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub org_id: i64,
    pub org_name: String,
    pub users_in_org: i64,
    pub orgs: i64,
    pub audit_rows: i64,
}

/// One candidate: serves the page for a session token hash.
pub trait Backend: Send + Sync + 'static {
    fn page(&self, token: &str) -> impl Future<Output = Res<Page>> + Send;
}

// ---- deterministic data -------------------------------------------------------
fn splitmix(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Session `i`'s token hash: 64 lowercase hex characters.
pub fn tokens() -> Vec<String> {
    let mut s = 42;
    (0..SESSIONS)
        .map(|_| (0..4).map(|_| format!("{:016x}", splitmix(&mut s))).collect())
        .collect()
}
fn user_of_session(i: i64) -> i64 {
    i % USERS + 1
}
fn org_of_user(u: i64) -> i64 {
    u % ORGS + 1
}
fn user_of_audit(k: i64) -> i64 {
    (k * 7919) % USERS + 1 // 7919 is prime: spreads rows evenly, 100 per user
}

/// The page every candidate must return for session `i`.
pub fn expected(i: usize) -> Page {
    let u = user_of_session(i as i64);
    let o = org_of_user(u);
    Page {
        user_id: u,
        email: format!("user{u}@example.vn"),
        display_name: format!("Người dùng {u}"),
        org_id: o,
        org_name: format!("Tổ chức {o}"),
        users_in_org: USERS / ORGS,
        orgs: ORGS,
        audit_rows: AUDIT / USERS,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// One SQL script that drops, creates and fills the four tables.
pub fn seed_script(d: Dialect) -> String {
    let pk = match d {
        Dialect::Sqlite => "INTEGER PRIMARY KEY", // rowid alias
        Dialect::Postgres => "BIGINT PRIMARY KEY",
    };
    let mut s = String::with_capacity(16 << 20);
    s += "DROP TABLE IF EXISTS audit; DROP TABLE IF EXISTS sessions;\n\
          DROP TABLE IF EXISTS users; DROP TABLE IF EXISTS organisations;\n";
    if d == Dialect::Sqlite {
        s += "BEGIN;\n";
    }
    s += &format!(
        "CREATE TABLE organisations (id {pk}, name TEXT NOT NULL, created_at BIGINT NOT NULL);\n\
         CREATE TABLE users (id {pk}, org_id BIGINT NOT NULL REFERENCES organisations(id),\n\
           email TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, created_at BIGINT NOT NULL);\n\
         CREATE INDEX users_org_id ON users(org_id);\n\
         CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id),\n\
           created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);\n\
         CREATE INDEX sessions_user_id ON sessions(user_id);\n\
         CREATE TABLE audit (id {pk}, user_id BIGINT NOT NULL REFERENCES users(id),\n\
           org_id BIGINT NOT NULL REFERENCES organisations(id), action TEXT NOT NULL, created_at BIGINT NOT NULL);\n\
         CREATE INDEX audit_user_id ON audit(user_id);\n"
    );
    let t0 = NOW - 86_400 * 30;
    let toks = tokens();
    insert(&mut s, "organisations", 1..=ORGS, |o| format!("({o},'Tổ chức {o}',{t0})"));
    insert(&mut s, "users", 1..=USERS, |u| {
        let o = org_of_user(u);
        format!("({u},{o},'user{u}@example.vn','Người dùng {u}',{t0})")
    });
    insert(&mut s, "sessions", 0..SESSIONS, |i| {
        let (u, tok) = (user_of_session(i), &toks[i as usize]);
        format!("('{tok}',{u},{t0},{})", NOW + 86_400)
    });
    insert(&mut s, "audit", 0..AUDIT, |k| {
        let u = user_of_audit(k);
        format!("({},{u},{},'page.view',{})", k + 1, org_of_user(u), t0 + k)
    });
    if d == Dialect::Sqlite {
        s += "COMMIT;\n";
    }
    s
}

fn insert(s: &mut String, table: &str, ids: impl Iterator<Item = i64>, row: impl Fn(i64) -> String) {
    let rows: Vec<String> = ids.map(row).collect();
    for chunk in rows.chunks(500) {
        *s += &format!("INSERT INTO {table} VALUES {};\n", chunk.join(","));
    }
}

/// Run after seeding, outside any transaction.
pub fn finish_sql(d: Dialect) -> &'static str {
    match d {
        Dialect::Sqlite => "ANALYZE",
        Dialect::Postgres => "VACUUM ANALYZE", // what autovacuum would reach in steady state
    }
}

// ---- a small pool for blocking drivers (rusqlite, sync postgres) --------------
/// `Mutex<Vec<C>>` plus a semaphore so that callers wait when all are lent out.
pub struct BlockingPool<C: Send> {
    sem: tokio::sync::Semaphore,
    conns: Mutex<Vec<C>>,
}

impl<C: Send + 'static> BlockingPool<C> {
    pub fn new(conns: Vec<C>) -> Self {
        BlockingPool { sem: tokio::sync::Semaphore::new(conns.len()), conns: Mutex::new(conns) }
    }

    /// Lend one connection to `f` on tokio's blocking thread pool.
    pub async fn run<R: Send + 'static>(&self, f: impl FnOnce(&mut C) -> R + Send + 'static) -> R {
        let _permit = self.sem.acquire().await.expect("semaphore closed");
        let mut c = self.conns.lock().expect("poisoned").pop().expect("permit without connection");
        let (c, r) = tokio::task::spawn_blocking(move || {
            let r = f(&mut c);
            (c, r)
        })
        .await
        .expect("blocking task panicked");
        self.conns.lock().expect("poisoned").push(c);
        r
    }

    /// Diagnostic only: the same, but `f` runs right here on the async worker thread.
    pub async fn run_inline<R>(&self, f: impl FnOnce(&mut C) -> R) -> R {
        let _permit = self.sem.acquire().await.expect("semaphore closed");
        let mut c = self.conns.lock().expect("poisoned").pop().expect("permit without connection");
        let r = f(&mut c);
        self.conns.lock().expect("poisoned").push(c);
        r
    }
}

impl<C: Send> Drop for BlockingPool<C> {
    /// Close connections off the async runtime: a sync `postgres::Client` panics
    /// when dropped on a tokio worker thread (it blocks on its own runtime).
    fn drop(&mut self) {
        let conns = std::mem::take(self.conns.get_mut().expect("poisoned"));
        std::thread::scope(|s| {
            s.spawn(move || drop(conns));
        });
    }
}

// ---- options ------------------------------------------------------------------
pub struct Opts {
    pub iters: usize,
    pub warmup: usize,
    pub reps: usize,
    pub pool: usize,
    pub tasks: Vec<usize>,
    pub only: Option<Vec<String>>,
    pub sqlite_dir: String,
    pub pg_url: String,
}

impl Opts {
    /// `--iters 20000 --warmup 2000 --reps 3 --pool 8 --tasks 1,8,64 --only a,b
    ///  --sqlite-dir /tmp/dbchoice --pg-url postgres://postgres@127.0.0.1:5432/dbchoice`
    pub fn from_args() -> Opts {
        let mut o = Opts {
            iters: 20_000,
            warmup: 2_000,
            reps: 3,
            pool: 8,
            tasks: vec![1, 8, 64],
            only: None,
            sqlite_dir: "/tmp/dbchoice".into(),
            pg_url: "postgres://postgres@127.0.0.1:5432/dbchoice".into(),
        };
        let args: Vec<String> = std::env::args().skip(1).collect();
        for pair in args.chunks(2) {
            let (k, v) = (pair[0].as_str(), pair.get(1).map(String::as_str).unwrap_or(""));
            let list = || v.split(',').map(str::to_owned).collect::<Vec<_>>();
            match k {
                "--iters" => o.iters = v.parse().expect("--iters N"),
                "--warmup" => o.warmup = v.parse().expect("--warmup N"),
                "--reps" => o.reps = v.parse().expect("--reps N"),
                "--pool" => o.pool = v.parse().expect("--pool N"),
                "--tasks" => o.tasks = list().iter().map(|t| t.parse().expect("--tasks 1,8,64")).collect(),
                "--only" => o.only = Some(list()),
                "--sqlite-dir" => o.sqlite_dir = v.into(),
                "--pg-url" => o.pg_url = v.into(),
                _ => panic!("unknown argument {k}; see README.md"),
            }
        }
        o
    }

    pub fn wants(&self, name: &str) -> bool {
        self.only.as_ref().is_none_or(|l| l.iter().any(|n| n == name))
    }
}

// ---- the harness ----------------------------------------------------------------
struct Run {
    wall: Duration,
    lat_ns: Vec<u64>, // sorted
}

/// `total` patterns split over `tasks` concurrent tokio tasks; each picks random tokens.
async fn run<B: Backend>(b: &Arc<B>, toks: &Arc<Vec<String>>, tasks: usize, total: usize) -> Run {
    let per_task = total / tasks;
    let start = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|t| {
            let (b, toks) = (b.clone(), toks.clone());
            tokio::spawn(async move {
                let mut rng = 0x5EED ^ (t as u64) << 32;
                let mut lat = Vec::with_capacity(per_task);
                for _ in 0..per_task {
                    let i = (splitmix(&mut rng) % toks.len() as u64) as usize;
                    let t0 = Instant::now();
                    let page = b.page(&toks[i]).await.expect("page query failed");
                    lat.push(t0.elapsed().as_nanos() as u64);
                    std::hint::black_box(page);
                }
                lat
            })
        })
        .collect();
    let mut lat_ns = Vec::with_capacity(total);
    for h in handles {
        lat_ns.extend(h.await.expect("task panicked"));
    }
    let wall = start.elapsed();
    lat_ns.sort_unstable();
    Run { wall, lat_ns }
}

fn pct(sorted: &[u64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize] as f64 / 1_000.0 // µs
}
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Check correctness, warm up, then measure every task count `reps` times.
/// Prints each run to stderr and returns summary table rows (markdown).
pub async fn bench<B: Backend>(name: &str, b: B, o: &Opts) -> Vec<String> {
    let (b, toks) = (Arc::new(b), Arc::new(tokens()));
    for i in [0, 1, 4_321, SESSIONS as usize - 1] {
        let got = b.page(&toks[i]).await.expect("page query failed");
        assert_eq!(got, expected(i), "{name}: wrong page for session {i}");
    }
    run(&b, &toks, 8, o.warmup).await;
    let mut rows = Vec::new();
    let mut by_n: Vec<(usize, Vec<Run>)> = o.tasks.iter().map(|&n| (n, Vec::new())).collect();
    for rep in 1..=o.reps {
        for (n, runs) in by_n.iter_mut() {
            let r = run(&b, &toks, *n, o.iters).await;
            eprintln!(
                "run {name} N={n} rep={rep}: {:.0} patterns/s, median {:.1} µs, p99 {:.1} µs",
                r.lat_ns.len() as f64 / r.wall.as_secs_f64(),
                pct(&r.lat_ns, 0.5),
                pct(&r.lat_ns, 0.99)
            );
            runs.push(r);
        }
    }
    for (n, runs) in by_n {
        let tput: Vec<f64> = runs.iter().map(|r| r.lat_ns.len() as f64 / r.wall.as_secs_f64()).collect();
        let (lo, hi) = (tput.iter().copied().fold(f64::MAX, f64::min), tput.iter().copied().fold(0.0, f64::max));
        rows.push(format!(
            "| {name} | {n} | {:.1} | {:.1} | {:.0} | {:.0}–{:.0} |",
            median(runs.iter().map(|r| pct(&r.lat_ns, 0.5)).collect()),
            median(runs.iter().map(|r| pct(&r.lat_ns, 0.99)).collect()),
            median(tput),
            lo,
            hi
        ));
    }
    rows
}

pub const TABLE_HEAD: &str = "| candidate | N tasks | median latency µs | p99 µs | patterns/s | patterns/s min–max |\n\
                              |---|---:|---:|---:|---:|---|";

/// Path of a fresh SQLite file for one candidate (old file and WAL removed).
pub fn fresh_sqlite_file(o: &Opts, name: &str) -> String {
    std::fs::create_dir_all(&o.sqlite_dir).expect("create sqlite dir");
    let path = format!("{}/{name}.db", o.sqlite_dir);
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{ext}"));
    }
    path
}

pub fn print_header(o: &Opts) {
    eprintln!(
        "data: {ORGS} orgs, {USERS} users, {SESSIONS} sessions, {AUDIT} audit rows; \
         {} patterns per run after {} warm-up, {} reps, pool {}, N in {:?}",
        o.iters, o.warmup, o.reps, o.pool, o.tasks
    );
}
