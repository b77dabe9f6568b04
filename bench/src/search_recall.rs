//! The recall part of `search-bench`: for each distinct query, in its agency's scope,
//! the documents that hold its syllables in a row in any spelling (the generator's
//! ground truth), and what each engine finds for each spelling of the query.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use phoihop::search::{Filters, Index, Scope, Store, Tier, parse, restriction};

use crate::corpus::{Corpus, truth, variants};
use crate::search_run::{Options, pg_sql};

/// Sums over the queries of one engine and one spelling.
#[derive(Default)]
struct Tally {
    hit: usize,
    truth: usize,
    phrase: usize,
    phrase_other: usize,
    phrase_hit: usize,
    queries: usize,
    complete: usize,
    precision: f64,
    pages: usize,
}

fn intersect(sorted_truth: &[u32], found: &HashSet<u32>) -> usize {
    sorted_truth.iter().filter(|i| found.contains(i)).count()
}

#[allow(clippy::too_many_arguments)]
pub fn recall(
    corpus: &Corpus,
    count: usize,
    base: i64,
    queries: &[((u32, u32), String)],
    scopes: &[Vec<i64>],
    index: &Index,
    store: &Store,
    pg_url: &str,
    o: &Options,
) -> anyhow::Result<()> {
    let started = Instant::now();
    // The first occurrence of each distinct query, with its agency.
    let mut chosen: Vec<(usize, (u32, u32), &str)> = Vec::new();
    let mut seen = HashSet::new();
    for (i, (pair, text)) in queries.iter().enumerate() {
        if seen.insert(*pair) {
            chosen.push((i % scopes.len(), *pair, text));
        }
    }
    chosen.truncate(o.recall_queries);
    let pairs: Vec<(u32, u32)> = chosen.iter().map(|c| c.1).collect();
    let (truths, who) = truth(corpus, count, &pairs);
    let local = |id: i64| -> Option<u32> {
        let i = id - base;
        (0..count as i64).contains(&i).then_some(i as u32)
    };
    let sqlite = store.reader()?;
    let mut ours_ids = sqlite.prepare(&format!(
        "SELECT ref_id FROM docs WHERE id IN ({}) AND source = 'case'",
        phoihop::search::store::MATCHING
    ))?;
    let mut pg = postgres::Client::connect(pg_url, postgres::NoTls)?;
    let (_, _, ids_sql) = pg_sql(true);
    let pg_ids = pg.prepare(&ids_sql)?;
    let mut tallies: HashMap<(&str, &str), Tally> = HashMap::new();
    let mut truth_sizes = Vec::new();
    for (agency, pair, typed) in &chosen {
        let orgs = &scopes[*agency];
        let mut t: Vec<u32> = truths[pair]
            .iter()
            .copied()
            .filter(|&i| {
                let (owner, assignee) = who[i as usize];
                orgs.contains(&owner) || orgs.contains(&assignee)
            })
            .collect();
        t.sort_unstable();
        truth_sizes.push(t.len());
        if t.is_empty() {
            continue;
        }
        // The index's own restriction for this scope, as a search adds it.
        let restrict = restriction(&Scope::Organisations(orgs.clone()), &Filters::default())
            .unwrap_or_default();
        for (variant, text) in variants(typed, &corpus.vocab, *pair) {
            // Ours: every result (the last tier), the phrase tiers, and the first page.
            let parsed = parse(&text);
            let tiers = parsed.tiers();
            let mut set = |expr: &str| -> anyhow::Result<HashSet<u32>> {
                let mut out = HashSet::new();
                let mut rows = ours_ids.query([format!("({expr}){restrict}")])?;
                while let Some(r) = rows.next()? {
                    out.extend(local(r.get(0)?));
                }
                Ok(out)
            };
            let all = set(&tiers.last().map(|t| t.1.clone()).unwrap_or_default())?;
            let phrase = match tiers.iter().find(|t| t.0 == Tier::Phrase) {
                Some(t) => set(&t.1)?,
                None => HashSet::new(),
            };
            let page = index.search(
                &parsed,
                &Scope::Organisations(orgs.clone()),
                &Filters::default(),
                1,
            )?;
            let page: Vec<u32> = page.hits.iter().filter_map(|h| local(h.ref_id)).collect();
            let tally = tallies.entry(("Phối hợp", variant)).or_default();
            add(tally, &t, &all, &phrase, &page);
            // PostgreSQL: every result with its ts_rank (the top 20 are the first by rank).
            let mut ranked: Vec<(u32, f32)> = pg
                .query(&pg_ids, &[&text, orgs])?
                .iter()
                .filter_map(|r| local(r.get(0)).map(|i| (i, r.get::<_, f32>(1))))
                .collect();
            ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
            let found: HashSet<u32> = ranked.iter().map(|r| r.0).collect();
            let top: Vec<u32> = ranked.iter().take(20).map(|r| r.0).collect();
            let tally = tallies.entry(("PostgreSQL", variant)).or_default();
            add(tally, &t, &found, &found, &top);
        }
    }
    truth_sizes.sort_unstable();
    println!(
        "\nrecall: {} distinct queries, each in its agency's scope; documents holding the phrase there \
         (ground truth): median {}, max {}; measured in {:.0} s",
        chosen.len(),
        truth_sizes.get(truth_sizes.len() / 2).copied().unwrap_or(0),
        truth_sizes.last().copied().unwrap_or(0),
        started.elapsed().as_secs_f64()
    );
    println!(
        "\n| engine | spelling | queries | recall: all results | queries found whole | recall: phrase matches | phrase matches without the words | first k in order hold the words |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for engine in ["Phối hợp", "PostgreSQL"] {
        for variant in [
            "as typed",
            "no diacritics",
            "upper case",
            "NFD",
            "other tone placement",
        ] {
            let Some(t) = tallies.get(&(engine, variant)) else {
                continue;
            };
            let pct = |a: usize, b: usize| a as f64 * 100.0 / b.max(1) as f64;
            println!(
                "| {engine} | {variant} | {} | {:.2} % | {}/{} | {:.2} % | {:.2} % | {:.1} % |",
                t.queries,
                pct(t.hit, t.truth),
                t.complete,
                t.queries,
                pct(t.phrase_hit, t.truth),
                pct(t.phrase_other, t.phrase),
                t.precision * 100.0 / t.pages.max(1) as f64,
            );
        }
    }
    Ok(())
}

/// Adds one query's outcome: `found` every result, `phrase` the phrase-level results
/// (PostgreSQL's are all phrase-level), `ranked` the first page in order.
fn add(
    tally: &mut Tally,
    truth: &[u32],
    found: &HashSet<u32>,
    phrase: &HashSet<u32>,
    ranked: &[u32],
) {
    let hit = intersect(truth, found);
    tally.hit += hit;
    tally.truth += truth.len();
    tally.queries += 1;
    tally.complete += usize::from(hit == truth.len());
    let phrase_hit = intersect(truth, phrase);
    tally.phrase_hit += phrase_hit;
    tally.phrase_other += phrase.len() - phrase_hit;
    tally.phrase += phrase.len();
    // Of the first k results, k = min(20, documents holding the words), how many hold them.
    let k = truth.len().min(ranked.len());
    if k > 0 {
        let good = ranked[..k]
            .iter()
            .filter(|i| truth.binary_search(i).is_ok())
            .count();
        tally.precision += good as f64 / k as f64;
        tally.pages += 1;
    }
}
