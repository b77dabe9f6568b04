//! `opinion-rollup`: the roll-up of a month's public-opinion reports for a province
//! (issue 11: p99 < 200 ms with 2,000 collaborators). Fills a data folder with the demo
//! province and `collaborators` collaborators under its organisations, each with a
//! monthly schedule; all but one in twenty filed the month's report with `topics`
//! topic rows (topics, fields, localities and attitudes drawn from the seed), written in
//! bulk by the opinion report's own generator (`case/kinds/opinion_report/bench.rs`);
//! then times `rollup` for the whole province and for one organisation, and prints the
//! percentiles with what was counted.
//!
//! A folder that already holds the collaborators is reused.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use phoihop::case::kinds::opinion_report::bench;
use phoihop::case::kinds::opinion_report::period::Period;
use phoihop::case::kinds::opinion_report::rollup::rollup;
use phoihop::db::{Db, Location, Options};

/// What `phoihop-bench opinion-rollup` was asked.
pub struct Settings {
    pub data: PathBuf,
    pub database_url: Option<String>,
    pub collaborators: usize,
    pub topics: usize,
    pub queries: usize,
}

pub fn run(options: Settings) -> anyhow::Result<()> {
    std::fs::create_dir_all(&options.data)?;
    let location = match &options.database_url {
        Some(url) => Location::Postgres(url.clone()),
        None => Location::SqliteFolder(options.data.clone()),
    };
    let db = Db::open(&location, &Options::default())?;
    phoihop::demo::ensure(&db, &options.data)?;
    let code = bench::period(phoihop::clock::today());
    let period = Period::parse(&code).context("period")?;
    let have = db.read_blocking(bench::generated)?;
    if have == 0 {
        let started = Instant::now();
        db.write_blocking(|c| bench::write(c, options.collaborators, options.topics, &code))?;
        println!(
            "generated {} collaborators, {} topics each, in {:.1} s",
            options.collaborators,
            options.topics,
            started.elapsed().as_secs_f64()
        );
    } else if have as usize != options.collaborators {
        anyhow::bail!(
            "{} holds {have} generated collaborators",
            options.data.display()
        );
    }
    let one_org = db.read_blocking(bench::first_organisation)?;
    for (name, org) in [("province", None), ("one organisation", Some(one_org))] {
        let mut times = Vec::with_capacity(options.queries);
        let mut last = None;
        for _ in 0..options.queries {
            let started = Instant::now();
            last = Some(db.read_blocking(|c| rollup(c, period, org))?);
            times.push(started.elapsed());
        }
        times.sort();
        let at = |q: f64| ms(times[((times.len() - 1) as f64 * q).round() as usize]);
        let r = last.context("a roll-up")?;
        println!(
            "{name}: {} reports, {} rows, {} topics, {} missing; {} roll-ups: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            r.reports,
            r.rows,
            r.by_topic.len(),
            r.missing.len(),
            times.len(),
            at(0.5),
            at(0.9),
            at(0.99),
            at(1.0)
        );
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
