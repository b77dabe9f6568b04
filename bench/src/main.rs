//! Benchmark helpers for Phối hợp, driven by `bench/run.sh`:
//!
//! - `seed`: adds generated organisations and people to a data folder, and opens a
//!   session for one person so that a load driver can request signed-in pages;
//! - `probe`: the limit probe, a minimal server on the same stack (axum, tokio, the same
//!   `Db` over SQLite with the same pragmas) that serves a page of a given size from one
//!   indexed read. What the real pages reach, as a share of the probe, is the figure
//!   that matters: it says how much our own code costs on this machine;
//! - `cases`, `actions`: the case engine's data and action rate (`bench/run-cases.sh`);
//! - `complaint-escalation`: the escalation check of a new letter against a million
//!   earlier ones (issue 11), p50/p99;
//! - `opinion-rollup`: the roll-up of a month's public-opinion reports of 2,000
//!   collaborators (issue 11), p50/p99;
//! - `search-data`, `search-bench`: the search benchmark of issue 4 against PostgreSQL
//!   full-text search (`bench/run-search.sh`); `search-sample` and `search-sql` to read
//!   the generated text and time single statements on an index file.

mod cases;
mod complaints;
mod corpus;
mod rollup;
mod search;
mod search_recall;
mod search_run;
mod search_tiers;
mod vocab;

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use phoihop::audit::Who;
use phoihop::db::{Db, Location, Options};
use phoihop::org::people::{self, PersonForm};
use phoihop::org::{self, NewOrganisationForm};

/// The PostgreSQL server of the search benchmark's reference (trust authentication).
const PG: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The same allocator as the server: the probe is the same stack.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| -> Option<String> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    match args.first().map(String::as_str) {
        Some("seed") => {
            let data = PathBuf::from(flag("--data").context("--data DIR")?);
            let orgs: usize = flag("--orgs").map_or(Ok(200), |v| v.parse())?;
            let people: usize = flag("--people").map_or(Ok(5000), |v| v.parse())?;
            let login = flag("--session-for").unwrap_or_else(|| "chuyenvien".into());
            seed(data, orgs, people, &login)
        }
        Some("cases") => {
            let data = PathBuf::from(flag("--data").context("--data DIR")?);
            let count: usize = flag("--count").map_or(Ok(1_000_000), |v| v.parse())?;
            cases::generate(data, count)
        }
        Some("actions") => {
            let data = PathBuf::from(flag("--data").context("--data DIR")?);
            let seconds: u64 = flag("--seconds").map_or(Ok(10), |v| v.parse())?;
            let threads: usize = flag("--threads").map_or(Ok(4), |v| v.parse())?;
            cases::actions(data, seconds, threads)
        }
        Some("complaint-escalation") => complaints::run(complaints::Settings {
            data: PathBuf::from(flag("--data").context("--data DIR")?),
            database_url: flag("--database-url"),
            count: flag("--count").map_or(Ok(1_000_000), |v| v.parse())?,
            queries: flag("--queries").map_or(Ok(1000), |v| v.parse())?,
            seed: flag("--seed").map_or(Ok(2026), |v| v.parse())?,
        }),
        Some("opinion-rollup") => rollup::run(rollup::Settings {
            data: PathBuf::from(flag("--data").context("--data DIR")?),
            database_url: flag("--database-url"),
            collaborators: flag("--collaborators").map_or(Ok(2000), |v| v.parse())?,
            topics: flag("--topics").map_or(Ok(5), |v| v.parse())?,
            queries: flag("--queries").map_or(Ok(200), |v| v.parse())?,
        }),
        Some("search-data") => {
            let data = PathBuf::from(flag("--data").context("--data DIR")?);
            let count: usize = flag("--count").map_or(Ok(1_000_000), |v| v.parse())?;
            let seed: u64 = flag("--seed").map_or(Ok(2026), |v| v.parse())?;
            let pg = flag("--pg").unwrap_or_else(|| PG.into());
            let pg_db = flag("--pg-db").unwrap_or_else(|| "phoihop_bench_search".into());
            search::generate(data, count, seed, &pg, &pg_db)
        }
        Some("search-sample") => {
            let n: usize = flag("--count").map_or(Ok(3), |v| v.parse())?;
            corpus::sample(n);
            Ok(())
        }
        Some("search-sql") => {
            let index = PathBuf::from(flag("--index").context("--index FILE")?);
            let statements: Vec<String> = args.iter().skip(3).cloned().collect();
            search_run::sql(&index, &statements)
        }
        Some("search-bench") => {
            let data = PathBuf::from(flag("--data").context("--data DIR")?);
            let pg = flag("--pg").unwrap_or_else(|| PG.into());
            let options = search_run::Options {
                seconds: flag("--seconds").map_or(Ok(60), |v| v.parse())?,
                rate: flag("--rate").map_or(Ok(50.0), |v| v.parse())?,
                queries: flag("--queries").map_or(Ok(500), |v| v.parse())?,
                workers: flag("--workers").map_or(Ok(4), |v| v.parse())?,
                recall_queries: flag("--recall-queries").map_or(Ok(usize::MAX), |v| v.parse())?,
                service_pg: flag("--service-pg").map_or(Ok(100), |v| v.parse())?,
                phases: flag("--phases")
                    .unwrap_or_else(|| "index,service,ours,pg,recall".into())
                    .split(',')
                    .map(str::to_owned)
                    .collect(),
            };
            search_run::bench(data, &pg, &options)
        }
        Some("probe") => {
            let data = PathBuf::from(flag("--data").context("--data DIR")?);
            let bytes: usize = flag("--bytes").map_or(Ok(4000), |v| v.parse())?;
            let listen: SocketAddr = flag("--listen")
                .unwrap_or_else(|| "127.0.0.1:18081".into())
                .parse()?;
            probe(data, bytes, listen)
        }
        _ => bail!(
            "usage: phoihop-bench seed --data DIR [--orgs N] [--people N] [--session-for USER]\n       \
             phoihop-bench probe --data DIR [--bytes N] [--listen ADDR]\n       \
             phoihop-bench cases --data DIR [--count N]\n       \
             phoihop-bench actions --data DIR [--seconds N] [--threads N]\n       \
             phoihop-bench complaint-escalation --data DIR [--database-url URL] [--count N] [--queries N] [--seed N]\n       \
             phoihop-bench opinion-rollup --data DIR [--database-url URL] [--collaborators N] [--topics N] [--queries N]\n       \
             phoihop-bench search-data --data DIR [--count N] [--seed N] [--pg URL] [--pg-db NAME]\n       \
             phoihop-bench search-bench --data DIR [--pg URL] [--seconds N] [--rate N] [--queries N] [--workers N] [--recall-queries N] [--service-pg N]\n                                     [--phases index,parts,batches,tiers,service,ours,pg,recall]\n       \
             phoihop-bench search-sample [--count N]   (prints generated cases and query spellings)\n       \
             phoihop-bench search-sql --index FILE SQL...   (times statements on an index file)"
        ),
    }
}

fn open(data: PathBuf) -> anyhow::Result<Db> {
    std::fs::create_dir_all(&data)?;
    Ok(Db::open(
        &Location::SqliteFolder(data),
        &Options::default(),
    )?)
}

/// Adds `orgs` agencies with units and `people` accounts spread over them, then prints
/// a session token for `login`.
fn seed(data: PathBuf, orgs: usize, people_count: usize, login: &str) -> anyhow::Result<()> {
    let db = open(data)?;
    let who = Who::command_line();
    let hash = people::hash_password("bench-password").map_err(|e| anyhow::anyhow!("{e}"))?;
    let ids = db
        .write_blocking(|c| -> phoihop::error::Result<Vec<i64>> {
            let mut ids = Vec::new();
            for i in 0..orgs {
                let parent = if i % 4 == 0 {
                    None
                } else {
                    ids.last().copied()
                };
                let form = NewOrganisationForm {
                    name: format!("Cơ quan thử nghiệm số {i}"),
                    code: format!("TN{i}"),
                    body_type: "state".into(),
                    role: if parent.is_some() {
                        "unit".into()
                    } else {
                        "partner".into()
                    },
                    parent_id: parent.map(|p: i64| p.to_string()).unwrap_or_default(),
                    valid_from: "2020-01-01".into(),
                    fields: Vec::new(),
                };
                ids.push(org::create(c, &who, &form.parse()?)?);
            }
            Ok(ids)
        })
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    db.write_blocking(|c| -> phoihop::error::Result<()> {
        for i in 0..people_count {
            let form = PersonForm {
                username: format!("nguoi{i}"),
                display_name: format!("Người thử nghiệm {i}"),
                organisation_id: ids[i % ids.len()].to_string(),
                role: "unit_officer".into(),
                password: "bench-password".into(),
                ..PersonForm::default()
            };
            let (u, d, _) = form.parse_new()?;
            people::create(c, &who, &u, &d, &hash, false)?;
        }
        Ok(())
    })
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let person = db
        .read_blocking(|c| people::get_by_username(c, login))
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .with_context(|| format!("no account {login}"))?;
    let token = db
        .write_blocking(|c| phoihop::auth::start_session(c, &person, "127.0.0.1", "bench"))
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    println!("{token}");
    Ok(())
}

/// One indexed read, one page of `bytes` bytes: the least a page of ours can cost.
fn probe(data: PathBuf, bytes: usize, listen: SocketAddr) -> anyhow::Result<()> {
    let db = open(data)?;
    db.write_blocking(|c| -> Result<(), phoihop::db::DbError> {
        c.batch("CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")?;
        c.execute(
            "INSERT OR REPLACE INTO probe (id, body) VALUES (1, $1)",
            phoihop::params!["x".repeat(bytes)],
        )?;
        Ok(())
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let app = axum::Router::new().route(
            "/",
            axum::routing::get(move || {
                let db = db.clone();
                async move {
                    let body = db
                        .read(|c| {
                            c.scalar::<String>(
                                "SELECT body FROM probe WHERE id = $1",
                                phoihop::params![1],
                            )
                        })
                        .await
                        .unwrap_or_default();
                    axum::response::Html(body)
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind(listen).await?;
        println!("probe listening on http://{}", listener.local_addr()?);
        axum::serve(listener, app).await?;
        Ok(())
    })
}
