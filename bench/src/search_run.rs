//! `search-bench`: on the data of `search-data`, times the indexer rebuilding the index
//! from scratch, runs the query set at a fixed rate (open loop: query `i` is due at
//! `t0 + i / rate` whatever the earlier ones did, and its latency counts from then)
//! against `Index::search` and against PostgreSQL, and measures recall of each query's
//! spellings in both against the generator's ground truth.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::anyhow;
use phoihop::search::indexer::Indexer;
use phoihop::search::{Filters, Index, Scope, parse};

use crate::corpus::Corpus;
use crate::search::{open, organisations, pg_url_for, read_meta};

pub struct Options {
    pub seconds: u64,
    pub rate: f64,
    pub queries: usize,
    pub workers: usize,
    /// Distinct queries whose recall is measured (all when larger).
    pub recall_queries: usize,
    /// Queries PostgreSQL answers one at a time (the service-time line).
    pub service_pg: usize,
    /// Which parts run: `index` (else the last index built is used), `parts`, `batches`,
    /// `service`, `ours`, `pg`, `recall`.
    pub phases: Vec<String>,
}

impl Options {
    fn does(&self, phase: &str) -> bool {
        self.phases.iter().any(|p| p == phase)
    }
}

/// Latencies of one fixed-rate run.
struct Run {
    latencies: Vec<Duration>,
    planned: usize,
    errors: usize,
    wall: Duration,
    found: u64,
    /// CPU time this process used during the run (all threads).
    cpu: Duration,
    /// Median latency of the queries due in each 10-second window (open loop only).
    windows: Vec<Duration>,
}

/// Runs `exec(state, i)` for `i` in `0..rate*seconds`, each due at `t0 + i/rate`, on one
/// thread per state; stops taking work when far behind (at one and a half times the
/// duration: the queries not run then are counted as not done).
fn fixed_rate<S: Send>(
    states: Vec<S>,
    rate: f64,
    seconds: u64,
    exec: impl Fn(&mut S, usize) -> anyhow::Result<usize> + Sync,
) -> Run {
    let planned = (rate * seconds as f64) as usize;
    let next = AtomicUsize::new(0);
    let t0 = Instant::now() + Duration::from_millis(100);
    let give_up = t0 + Duration::from_secs(seconds * 3 / 2 + 5);
    let per = |i: usize| Duration::from_secs_f64(i as f64 / rate);
    let cpu = cpu_time();
    // Per worker: (query, latency) pairs, errors, results counted.
    type Worker = (Vec<(usize, Duration)>, usize, u64);
    let results: Vec<Worker> = std::thread::scope(|s| {
        let handles: Vec<_> = states
            .into_iter()
            .map(|mut state| {
                let (next, exec) = (&next, &exec);
                s.spawn(move || {
                    let (mut lat, mut errors, mut found) = (Vec::new(), 0, 0u64);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= planned || Instant::now() > give_up {
                            break;
                        }
                        let due = t0 + per(i);
                        if let Some(wait) = due.checked_duration_since(Instant::now()) {
                            std::thread::sleep(wait);
                        }
                        match exec(&mut state, i) {
                            Ok(n) => found += n as u64,
                            Err(_) => errors += 1,
                        }
                        lat.push((i, Instant::now().duration_since(due)));
                    }
                    (lat, errors, found)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut run = Run {
        latencies: Vec::new(),
        planned,
        errors: 0,
        wall: t0.elapsed(),
        found: 0,
        windows: Vec::new(),
        cpu: cpu_time().saturating_sub(cpu),
    };
    let window = (rate * 10.0) as usize;
    let mut windows: Vec<Vec<Duration>> = vec![Vec::new(); planned.div_ceil(window.max(1))];
    for (lat, errors, found) in results {
        for &(i, l) in &lat {
            windows[i / window.max(1)].push(l);
        }
        run.latencies.extend(lat.into_iter().map(|l| l.1));
        run.errors += errors;
        run.found += found;
    }
    run.latencies.sort();
    run.windows = windows
        .into_iter()
        .filter(|w| !w.is_empty())
        .map(|mut w| {
            w.sort();
            w[w.len() / 2]
        })
        .collect();
    run
}

/// Runs `exec(i)` for `i` in `0..n`, one after the other.
fn sequential(n: usize, mut exec: impl FnMut(usize) -> anyhow::Result<usize>) -> Run {
    let started = Instant::now();
    let cpu = cpu_time();
    let mut run = Run {
        latencies: Vec::with_capacity(n),
        planned: n,
        errors: 0,
        wall: Duration::ZERO,
        found: 0,
        windows: Vec::new(),
        cpu: Duration::ZERO,
    };
    for i in 0..n {
        let t = Instant::now();
        match exec(i) {
            Ok(found) => run.found += found as u64,
            Err(_) => run.errors += 1,
        }
        run.latencies.push(t.elapsed());
    }
    run.wall = started.elapsed();
    run.cpu = cpu_time().saturating_sub(cpu);
    run.latencies.sort();
    run
}

/// CPU time this process has used, all threads (Linux: /proc/self/stat, 100 ticks/s).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(") ").map_or("", |p| p.1);
    let ticks: u64 = after
        .split(' ')
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10)
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn line(name: &str, run: &Run) {
    let n = run.latencies.len();
    let p = |q: f64| {
        let at = ((q * n as f64).ceil() as usize).clamp(1, n.max(1)) - 1;
        run.latencies.get(at).copied().map_or(f64::NAN, ms)
    };
    println!(
        "| {name} | {n}/{} in {:.1} s | {:.2} | {:.2} | {:.2} | {:.2} | {} | {:.0} | {:.1} |",
        run.planned,
        run.wall.as_secs_f64(),
        p(0.5),
        p(0.9),
        p(0.99),
        run.latencies.last().copied().map_or(f64::NAN, ms),
        run.errors,
        run.found as f64 / n.max(1) as f64,
        ms(run.cpu) / n.max(1) as f64,
    );
}

const PG_WHERE_AGENCY: &str = "tsv @@ q AND (owner_org_id = ANY($2) OR assignee_org_id = ANY($2))";

pub fn pg_sql(agency: bool) -> (String, String, String) {
    let filter = if agency { PG_WHERE_AGENCY } else { "tsv @@ q" };
    let from = "FROM cases, phraseto_tsquery('simple', unaccent($1)) q";
    (
        format!("SELECT count(*) {from} WHERE {filter}"),
        format!(
            "SELECT id, number, title, ts_rank(tsv, q) AS rank {from} WHERE {filter} ORDER BY rank DESC LIMIT 20"
        ),
        format!("SELECT id, ts_rank(tsv, q) AS rank {from} WHERE {filter}"),
    )
}

pub fn bench(data: PathBuf, pg_url: &str, o: &Options) -> anyhow::Result<()> {
    let (seed, count, base, pg_db) = read_meta(&data)?;
    let pg_url = pg_url_for(pg_url, &pg_db);
    let db = open(&data)?;
    let (agencies, lead) = organisations(&db)?;
    let all = db
        .read_blocking(|c| phoihop::org::list_all(c))
        .map_err(|e| anyhow!("{e:?}"))?;
    // An agency's people see what their organisation and its units own or are assigned.
    let scope_of = |a: i64| -> Vec<i64> {
        all.iter()
            .filter(|o| phoihop::org::is_ancestor(&all, a, o.id))
            .map(|o| o.id)
            .collect()
    };
    let scopes: Vec<Vec<i64>> = agencies.iter().map(|&a| scope_of(a)).collect();

    // Indexing: the indexer rebuilding a new generation from every case.
    let dir = data.join("bench-search");
    if o.does("index") {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let index = Index::new(&dir);
    let mut indexer = Indexer::open(db.clone(), index.clone())?;
    if o.does("index") || index.store().is_none() {
        let started = Instant::now();
        let documents = indexer.rebuild_now()?;
        let took = started.elapsed();
        let store = index
            .store()
            .ok_or_else(|| anyhow!("no index after the rebuild"))?;
        let bytes = store.bytes();
        println!(
            "indexing: {documents} documents in {:.1} s = {:.0} records/s (index files {:.0} MB)",
            took.as_secs_f64(),
            documents as f64 / took.as_secs_f64(),
            bytes as f64 / 1e6
        );
    }
    let store = index.store().ok_or_else(|| anyhow!("no index"))?;
    if o.does("parts") {
        index_parts(&db)?;
    }
    if o.does("batches") {
        for batch in [500, 5_000] {
            index_batches(&db, &data.join("bench-batches"), batch, 200_000)?;
        }
    }

    let corpus = Corpus::new(seed, agencies.clone(), lead);
    let queries = corpus.queries(o.queries);
    let scope_index = |i: usize| i % scopes.len();
    let distinct: HashSet<(u32, u32)> = queries.iter().map(|q| q.0).collect();
    println!(
        "queries: {} two-syllable queries ({} distinct), agency of query i = agency i mod {}",
        queries.len(),
        distinct.len(),
        scopes.len()
    );

    type PgState = (postgres::Client, postgres::Statement, postgres::Statement);
    let ours = |agency: bool, i: usize| -> anyhow::Result<usize> {
        let (_, text) = &queries[i % queries.len()];
        let scope = if agency {
            Scope::Organisations(scopes[scope_index(i)].clone())
        } else {
            Scope::Everything
        };
        Ok(index
            .search(&parse(text), &scope, &Filters::default(), 1)?
            .total)
    };
    let pg_states = |agency: bool, n: usize| -> anyhow::Result<Vec<PgState>> {
        let (count_sql, top_sql, _) = pg_sql(agency);
        (0..n)
            .map(|_| {
                let mut c = postgres::Client::connect(&pg_url, postgres::NoTls)?;
                let count = c.prepare(&count_sql)?;
                let top = c.prepare(&top_sql)?;
                Ok((c, count, top))
            })
            .collect()
    };
    // What a developer would write: the count, then the top 20 by ts_rank.
    let pg = |agency: bool, (c, count, top): &mut PgState, i: usize| -> anyhow::Result<usize> {
        let (_, text) = &queries[i % queries.len()];
        let orgs = &scopes[scope_index(i)];
        let n: i64 = if agency {
            let n = c.query_one(&*count, &[text, orgs])?.get(0);
            c.query(&*top, &[text, orgs])?;
            n
        } else {
            let n = c.query_one(&*count, &[text])?.get(0);
            c.query(&*top, &[text])?;
            n
        };
        Ok(n as usize)
    };
    let name = |engine: &str, agency: bool| {
        format!(
            "{engine}, {}",
            if agency {
                "agency scope"
            } else {
                "lead body (everything)"
            }
        )
    };
    let header = |title: &str| {
        println!(
            "\n| {title} | done | p50 ms | p90 ms | p99 ms | max ms | errors | mean count | CPU ms per query (this process) |"
        );
        println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    };
    if o.does("tiers") {
        let texts: Vec<String> = queries.iter().map(|q| q.1.clone()).collect();
        crate::search_tiers::tiers(store.path(), &texts, &scopes)?;
    }
    if o.does("service") {
        header("one query at a time (service time, no queueing)");
        for agency in [true, false] {
            let run = sequential(queries.len(), |i| ours(agency, i));
            line(&name("Phối hợp", agency), &run);
        }
        for agency in [true, false] {
            let mut state = pg_states(agency, 1)?;
            let n = o.service_pg.min(queries.len());
            let run = sequential(n, |i| pg(agency, &mut state[0], i));
            line(
                &format!("{} (first {n} queries)", name("PostgreSQL", agency)),
                &run,
            );
        }
    }
    if o.does("ours") || o.does("pg") {
        header(&format!(
            "open loop, {:.0} queries/s for {} s, {} workers",
            o.rate, o.seconds, o.workers
        ));
    }
    let mut windows = Vec::new();
    for agency in [true, false].into_iter().filter(|_| o.does("ours")) {
        let run = fixed_rate(vec![(); o.workers], o.rate, o.seconds, |_, i| {
            ours(agency, i)
        });
        line(&name("Phối hợp", agency), &run);
        windows.push((name("Phối hợp", agency), run.windows));
    }
    for agency in [true, false].into_iter().filter(|_| o.does("pg")) {
        let states = pg_states(agency, o.workers)?;
        let run = fixed_rate(states, o.rate, o.seconds, |state, i| pg(agency, state, i));
        line(&name("PostgreSQL", agency), &run);
        windows.push((name("PostgreSQL", agency), run.windows));
    }
    if !windows.is_empty() {
        println!("\nmedian latency of the queries due in each 10 s of the open-loop runs (ms):");
    }
    for (name, w) in windows {
        let w: Vec<String> = w.iter().map(|d| format!("{:.1}", ms(*d))).collect();
        println!("  {name}: {}", w.join(", "));
    }

    if !o.does("recall") {
        return Ok(());
    }
    crate::search_recall::recall(
        &corpus, count, base, &queries, &scopes, &index, &store, &pg_url, o,
    )
}

/// Where a rebuild's time goes, outside SQLite's FTS5: reading the documents from the
/// database (`source::docs_for`, as the indexer does) and turning their text into the
/// two forms (`analyze::Analyzer::forms`), each timed alone on one thread.
fn index_parts(db: &phoihop::db::Db) -> anyhow::Result<()> {
    use phoihop::search::{analyze, source};
    let (mut read, mut analyse) = (Duration::ZERO, Duration::ZERO);
    let (mut before, mut docs_n, mut bytes) = (i64::MAX, 0usize, 0usize);
    let (mut exact, mut folded) = (String::new(), String::new());
    let mut analyzer = analyze::Analyzer::default();
    loop {
        let t = Instant::now();
        let (ids, docs) = db.read_blocking(|c| -> Result<_, phoihop::db::DbError> {
            let ids = source::case_ids_before(c, before)?;
            let docs = source::docs_for(c, &ids)?;
            Ok((ids, docs))
        })?;
        read += t.elapsed();
        let Some(&last) = ids.last() else { break };
        before = last;
        let t = Instant::now();
        for d in &docs {
            exact.clear();
            folded.clear();
            analyzer.forms(&d.label, &d.body, &mut exact, &mut folded);
            bytes += d.label.len() + d.body.len();
        }
        analyse += t.elapsed();
        docs_n += docs.len();
    }
    let rate = |d: Duration| docs_n as f64 / d.as_secs_f64();
    println!(
        "rebuild parts, {docs_n} documents ({:.0} MB of text): reading {:.1} s ({:.0}/s), analysing {:.1} s ({:.0}/s, {:.1} MB/s)",
        bytes as f64 / 1e6,
        read.as_secs_f64(),
        rate(read),
        analyse.as_secs_f64(),
        rate(analyse),
        bytes as f64 / 1e6 / analyse.as_secs_f64()
    );
    Ok(())
}

/// The rebuild's loop (read, analyse, insert into FTS5) over the newest `limit` cases
/// with `batch` documents per transaction instead of the indexer's 500 (`Store::replace`
/// commits once per call): does FTS5's segment merging cost less with fewer commits?
fn index_batches(
    db: &phoihop::db::Db,
    dir: &std::path::Path,
    batch: usize,
    limit: usize,
) -> anyhow::Result<()> {
    use phoihop::search::source;
    std::fs::create_dir_all(dir)?;
    let store = phoihop::search::Store::create(&dir.join(format!("batch-{batch}.sqlite")))?;
    let started = Instant::now();
    let (mut before, mut n, mut pending) = (i64::MAX, 0usize, Vec::new());
    while n < limit {
        let (ids, docs) = db.read_blocking(|c| -> Result<_, phoihop::db::DbError> {
            let ids = source::case_ids_before(c, before)?;
            let docs = source::docs_for(c, &ids)?;
            Ok((ids, docs))
        })?;
        let Some(&last) = ids.last() else { break };
        before = last;
        n += docs.len();
        pending.extend(docs);
        if pending.len() >= batch {
            store.replace(&[], std::mem::take(&mut pending), &[])?;
        }
    }
    store.replace(&[], pending, &[])?;
    let took = started.elapsed();
    println!(
        "rebuild loop, {n} documents, {batch} per transaction: {:.1} s = {:.0} records/s",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64()
    );
    drop(store);
    let _ = std::fs::remove_dir_all(dir);
    Ok(())
}

/// Runs each statement on an index file, printing its time and first row (to see where a
/// search's time goes, statement by statement).
pub fn sql(path: &std::path::Path, statements: &[String]) -> anyhow::Result<()> {
    let store =
        phoihop::search::Store::open(path)?.ok_or_else(|| anyhow!("no index at {path:?}"))?;
    let c = store.reader()?;
    for s in statements {
        let started = Instant::now();
        let mut stmt = c.prepare(s)?;
        let columns = stmt.column_count();
        let mut rows = stmt.query([])?;
        let mut first = String::new();
        let mut n = 0;
        while let Some(r) = rows.next()? {
            if n == 0 {
                let values: Vec<String> = (0..columns)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                            .unwrap_or_default()
                    })
                    .collect();
                first = values.join(", ");
            }
            n += 1;
        }
        println!(
            "{:9.2} ms  {n} rows  {first}  <- {s}",
            ms(started.elapsed())
        );
    }
    Ok(())
}
