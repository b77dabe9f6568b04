//! Case-engine benchmarks: `cases` fills a data folder with generated incidents (with
//! their events and clocks, written in bulk by the incident kind's own generator,
//! `case/kinds/incident/bench.rs`); `actions` measures how many case actions per second
//! the engine commits on that data (event, state, clocks in one transaction, SQLite
//! `synchronous=FULL` as configured by default).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use phoihop::case::engine::{self, ActionInput, At};
use phoihop::case::kinds::incident::{self, bench::Run};
use phoihop::case::model::CaseActor;
use phoihop::db::{Db, DbError, Location, Options};
use phoihop::org::people;
use phoihop::params;
use serde_json::{Map, Value};

fn open(data: PathBuf) -> anyhow::Result<Db> {
    Ok(Db::open(
        &Location::SqliteFolder(data),
        &Options::default(),
    )?)
}

/// Adds `count` incidents spread over two years, agencies, fields and localities
/// (`incident::bench::Run::write_cases`), in transactions of 10,000.
pub fn generate(data: PathBuf, count: usize) -> anyhow::Result<()> {
    let db = open(data)?;
    let run = db.read_blocking(|c| Run::cases(c, count, phoihop::clock::now_ms()))?;
    let started = Instant::now();
    let batch = 10_000;
    let mut done = 0;
    while done < count {
        let upto = (done + batch).min(count);
        db.write_blocking(|c| run.write_cases(c, done..upto))?;
        done = upto;
        eprint!("\r{done} cases");
    }
    eprintln!(
        "\r{count} cases with {} events in {:.1} s",
        count * 3,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Commits `comment` actions on generated cases from `threads` threads for `seconds`,
/// and reports actions per second with latency percentiles.
pub fn actions(data: PathBuf, seconds: u64, threads: usize) -> anyhow::Result<()> {
    let db = open(data)?;
    let specialist = db
        .read_blocking(|c| people::get_by_username(c, "chuyenvien"))
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .context("the demo specialist")?;
    let actor = CaseActor {
        user_id: specialist.id,
        username: specialist.username,
        name: specialist.display_name,
        role: specialist.role,
        org_id: specialist.organisation_id,
    };
    let numbers: Vec<String> = db.read_blocking(|c| -> Result<Vec<String>, DbError> {
        c.query(
            "SELECT number FROM cases WHERE kind = $1 ORDER BY id DESC LIMIT 20000",
            params![incident::WORKFLOW.kind],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect()
    })?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let calendar = db.read_blocking(phoihop::calendar::load)?;
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (db, actor, calendar) = (db.clone(), actor.clone(), calendar.clone());
            let mine: Vec<String> = numbers.iter().skip(t).step_by(threads).cloned().collect();
            std::thread::spawn(move || -> anyhow::Result<Vec<Duration>> {
                let mut latencies = Vec::new();
                let mut i = 0;
                while Instant::now() < deadline {
                    let number = &mine[i % mine.len()];
                    i += 1;
                    let start = Instant::now();
                    db.write_blocking(|c| -> Result<(), phoihop::case::CaseError> {
                        let version: i64 = c.scalar(
                            "SELECT version FROM cases WHERE number = $1",
                            params![number.as_str()],
                        )?;
                        let mut fields = Map::new();
                        fields.insert(
                            "note".into(),
                            Value::String("Đã nắm tình hình, tiếp tục theo dõi.".into()),
                        );
                        let due = |d, n| calendar.add_working_days(d, n);
                        engine::perform(
                            c,
                            &actor,
                            number,
                            "comment",
                            &ActionInput { version, fields },
                            &At::now(&due),
                        )?;
                        Ok(())
                    })
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
                    latencies.push(start.elapsed());
                }
                Ok(latencies)
            })
        })
        .collect();
    let mut all = Vec::new();
    for h in handles {
        all.extend(
            h.join()
                .map_err(|_| anyhow::anyhow!("a thread panicked"))??,
        );
    }
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or_default()
    };
    println!(
        "{} actions in {seconds} s from {threads} threads: {:.0} actions/s, p50 {:.2} ms, p99 {:.2} ms",
        all.len(),
        all.len() as f64 / seconds as f64,
        pct(0.5).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0
    );
    Ok(())
}
