//! `search-bench --phases tiers`: where an agency's search spends its time, step by
//! step, over the query set: the pass that counts and reads the facets, then each
//! tier's newest matches (what a first page reads before it ranks them), timed alone on
//! a connection of its own to the same index files.

use std::path::Path;
use std::time::{Duration, Instant};

use phoihop::search::store::MATCHING;
use phoihop::search::{COUNT_CAP, Filters, Scope, Tier, parse, restriction};
use rusqlite::{Connection, OpenFlags, params};

/// How many of a tier a first page reads (its ranked ones and a margin).
const TIER_READ: i64 = 31;

#[derive(Default)]
struct Step {
    times: Vec<Duration>,
    rows: u64,
}

impl Step {
    fn line(&mut self, name: &str) {
        self.times.sort();
        let n = self.times.len();
        if n == 0 {
            return;
        }
        let p = |q: f64| self.times[((q * n as f64).ceil() as usize).clamp(1, n) - 1];
        let total: Duration = self.times.iter().sum();
        println!(
            "| {name} | {n} | {:.2} | {:.2} | {:.2} | {:.0} | {:.0} |",
            super::search_run::ms(p(0.5)),
            super::search_run::ms(p(0.99)),
            super::search_run::ms(total) / n as f64,
            super::search_run::ms(total),
            self.rows as f64 / n as f64,
        );
    }
}

/// Times the count pass and every tier of each query, in the agency scope of
/// `scopes[i mod len]`.
pub fn tiers(index: &Path, queries: &[String], scopes: &[Vec<i64>]) -> anyhow::Result<()> {
    let conn = Connection::open_with_flags(index, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let stem = index.file_stem().unwrap_or_default().to_string_lossy();
    let second = index.with_file_name(format!("{stem}-1.sqlite"));
    conn.execute("ATTACH DATABASE ?1 AS s1", [second.to_string_lossy()])?;
    conn.execute_batch("PRAGMA main.mmap_size = 8000000000; PRAGMA s1.mmap_size = 8000000000;")?;
    let mut count = Step::default();
    let mut steps: Vec<Step> = Tier::ALL.iter().map(|_| Step::default()).collect();
    let mut whole = Step::default();
    for (i, text) in queries.iter().enumerate() {
        let parsed = parse(text);
        let scope = Scope::Organisations(scopes[i % scopes.len()].clone());
        let Some(restrict) = restriction(&scope, &Filters::default()) else {
            continue;
        };
        let levels = parsed.levels();
        let Some(last) = levels.last() else { continue };
        let started = Instant::now();
        let mut stmt = conn.prepare_cached(&format!("{MATCHING} ORDER BY 1 LIMIT ?2"))?;
        let t = Instant::now();
        let n = stmt
            .query_map(
                params![format!("({}){restrict}", last.1), COUNT_CAP as i64 + 1],
                |r| r.get::<_, i64>(0),
            )?
            .count();
        count.times.push(t.elapsed());
        count.rows += n as u64;
        for (tier, expr) in &levels {
            let t = Instant::now();
            let n = stmt
                .query_map(params![format!("({expr}){restrict}"), TIER_READ], |r| {
                    r.get::<_, i64>(0)
                })?
                .count();
            let step = &mut steps[*tier as usize];
            step.times.push(t.elapsed());
            step.rows += n as u64;
        }
        whole.times.push(started.elapsed());
    }
    println!("\n#### An agency's search, step by step (each step alone; ms)\n");
    println!("| step | queries | p50 | p99 | mean | total | rows read (mean) |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    count.line("count and facets (newest 1,001)");
    for (tier, step) in Tier::ALL.iter().zip(&mut steps) {
        step.line(&format!("tier {tier:?} (newest {TIER_READ})"));
    }
    whole.line("all steps");
    Ok(())
}
