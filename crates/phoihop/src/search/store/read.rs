//! The index's read side: searches, counted and faceted, tier by tier, ranked inside a
//! tier (`rank.rs`), each bounded in time, on a small pool of reader connections.

use std::sync::RwLock;
use std::time::Instant;

use rusqlite::{Connection, OptionalExtension, params};

use super::facets::FacetMap;
use super::{
    COUNT_CAP, MAX_PAGE, PER_PAGE, READER_CACHE_KIB, Store, StoreError, TIME_LIMIT, open_conn,
};
use crate::search::query::{Parsed, Tier};
use crate::search::rank::{self, RANKED, Scorer};
use crate::search::{Facets, Filters, Found, Hit, Scope, Source};

/// The ids of the documents whose terms match `?1`, newest first when ordered by `1`:
/// the two files' lists, merged as they are read (each is in id order, and ids go
/// down as documents are added: FTS5 reads its lists forwards faster than backwards).
pub const MATCHING: &str =
    "SELECT rowid FROM main.terms(?1) UNION ALL SELECT rowid FROM s1.terms(?1)";

/// A searcher's connection: the files mapped into memory, so that the pages of the
/// lists a search walks are read where they lie in the page cache instead of copied
/// in by a system call each (clean pages of a file: the kernel takes them back when
/// it needs the memory).
pub(super) fn open_reader(path: &std::path::Path) -> Result<Connection, StoreError> {
    let conn = open_conn(path, READER_CACHE_KIB)?;
    conn.execute_batch("PRAGMA main.mmap_size = 8000000000; PRAGMA s1.mmap_size = 8000000000;")?;
    Ok(conn)
}

impl Store {
    /// How many documents the index holds.
    pub fn documents(&self) -> Result<i64, StoreError> {
        self.read(|c| Ok(c.query_row("SELECT count(*) FROM docs", [], |r| r.get(0))?))
    }

    /// Runs `f` on a searcher's connection, within the time limit. A rebuild holds a
    /// file's lock for a moment now and then (changing its journal, committing with
    /// none): a search that meets it waits and tries again, for a second at most.
    fn read<T>(&self, f: impl Fn(&Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut tries = 0;
        loop {
            match self.read_once(&f) {
                Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy && tries < 20 =>
                {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                out => return out,
            }
        }
    }

    fn read_once<T>(
        &self,
        f: &impl Fn(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let conn = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match conn {
            Some(c) => c,
            None => open_reader(&self.path)?,
        };
        let started = Instant::now();
        conn.progress_handler(10_000, Some(move || started.elapsed() > TIME_LIMIT));
        let out = f(&conn);
        conn.progress_handler(0, None::<fn() -> bool>);
        let mut pool = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if pool.len() < 8 {
            pool.push(conn);
        }
        out.map_err(|e| match e {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
                if f.code == rusqlite::ErrorCode::OperationInterrupted =>
            {
                StoreError::TooBroad
            }
            e => e,
        })
    }

    /// Page `page` (from 1) of what `parsed` finds within `scope` and `filters`.
    pub fn search(
        &self,
        parsed: &Parsed,
        scope: &Scope,
        filters: &Filters,
        page: usize,
    ) -> Result<Found, StoreError> {
        let levels = parsed.levels();
        let Some(restrict) = restriction(scope, filters) else {
            return Ok(Found::default());
        };
        if levels.is_empty() {
            return Ok(Found::default());
        }
        let with = |e: &str| format!("({e}){restrict}");
        self.read(|c| {
            // One read transaction: one snapshot for the count and every tier, and the
            // files' locks taken once (a rebuild may be writing them).
            let tx = c.unchecked_transaction()?;
            let c: &Connection = &tx;
            let last = levels.len() - 1;
            // One pass over the newest matches gives both the count and the facets; the
            // last tier's expression holds every other's matches.
            let (total, facets) = count_and_facets(c, &with(&levels[last].1), &self.facets)?;
            let mut found = Found {
                total: total.min(COUNT_CAP),
                capped: total > COUNT_CAP,
                facets,
                ..Found::default()
            };
            // The page, tier by tier: each tier is its expression minus the tiers before.
            // A tier's size is only counted when the page starts past it.
            let page = page.clamp(1, MAX_PAGE);
            let mut skip = (page - 1) * PER_PAGE;
            let mut before = 0;
            let mut earlier = String::new();
            let scorers = [Scorer::new(parsed, true), Scorer::new(parsed, false)];
            for (i, (tier, base)) in levels.iter().enumerate() {
                let want = PER_PAGE.saturating_sub(found.hits.len());
                if want == 0 {
                    break;
                }
                // On the first page every earlier tier was read whole (it had fewer
                // matches than the page holds, or the page would be full), so its
                // matches are the ids already placed: leaving them out here is exact,
                // and cheaper for FTS5 than the NOT of every earlier tier.
                let first_page = page == 1;
                let expr = if earlier.is_empty() || first_page {
                    with(base)
                } else {
                    format!("({}) NOT ({earlier})", with(base))
                };
                earlier = if earlier.is_empty() {
                    format!("({base})")
                } else {
                    format!("{earlier} OR ({base})")
                };
                if skip > 0 {
                    let size = if i == last {
                        total.saturating_sub(before)
                    } else {
                        count(c, &expr)?
                    };
                    before += size;
                    if skip >= size {
                        skip -= size;
                        continue;
                    }
                }
                let scorer = &scorers[usize::from(*tier > Tier::ExactWords)];
                let placed: Vec<i64> = if first_page {
                    found.hits.iter().map(|h| h.doc_id).collect()
                } else {
                    Vec::new()
                };
                for id in tier_page(c, &expr, scorer, skip, want, &placed)? {
                    // While a rebuild writes, a document's terms may be in before its
                    // row (two files, two writers): it is left out until both are.
                    if let Some(hit) = hit(c, id, *tier)? {
                        found.hits.push(hit);
                    }
                }
                skip = 0;
            }
            drop(tx);
            Ok(found)
        })
    }
}

/// How many documents match `expr`, up to one past [`COUNT_CAP`].
fn count(c: &Connection, expr: &str) -> Result<usize, StoreError> {
    let mut stmt = c.prepare_cached(&format!("SELECT count(*) FROM ({MATCHING} LIMIT ?2)"))?;
    let n: i64 = stmt.query_row(params![expr, COUNT_CAP as i64 + 1], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// The ids of `want` documents of one tier (`expr`) from its `skip`th: the newest
/// [`RANKED`] in order of relevance, then the rest newest first. `placed` are matches of
/// `expr` already on the page from earlier tiers, left out (first page only).
fn tier_page(
    c: &Connection,
    expr: &str,
    scorer: &Scorer,
    skip: usize,
    want: usize,
    placed: &[i64],
) -> Result<Vec<i64>, StoreError> {
    let mut ids = c.prepare_cached(&format!("{MATCHING} ORDER BY 1 LIMIT ?2 OFFSET ?3"))?;
    let mut newest = |limit: usize, offset: usize| -> Result<Vec<i64>, StoreError> {
        Ok(ids
            .query_map(params![expr, limit as i64, offset as i64], |r| r.get(0))?
            .collect::<Result<_, _>>()?)
    };
    if skip >= RANKED {
        return newest(want, skip);
    }
    let read = newest(RANKED + placed.len(), 0)?;
    let exhausted = read.len() < RANKED + placed.len();
    let newest_ranked: Vec<i64> = read
        .into_iter()
        .filter(|id| !placed.contains(id))
        .take(RANKED)
        .collect();
    let mut text = c.prepare_cached("SELECT label, body FROM docs WHERE id = ?1")?;
    let (mut candidates, mut texts) = (Vec::new(), Vec::new());
    for id in &newest_ranked {
        let row = text
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some(row) = row {
            candidates.push(*id);
            texts.push(row);
        }
    }
    let mut page: Vec<i64> = rank::order(scorer, &candidates, &texts)
        .into_iter()
        .skip(skip)
        .take(want)
        .collect();
    if page.len() < want && !exhausted {
        // Past the ranked ones (only when a page holds more than RANKED).
        page.extend(newest(want - page.len(), RANKED + placed.len())?);
    }
    Ok(page)
}

/// Document `id` as a result of `tier` (`None` when its row is not there yet).
fn hit(c: &Connection, id: i64, tier: Tier) -> Result<Option<Hit>, StoreError> {
    let mut row = c.prepare_cached(
        "SELECT d.id, d.source, d.ref_id, d.case_id, d.case_number, d.label, d.body, d.at,
                f.kind, f.state, f.field_id, f.agency_id
         FROM docs d JOIN facets f ON f.id = d.id WHERE d.id = ?1",
    )?;
    Ok(row
        .query_row([id], |r| {
            Ok(Hit {
                doc_id: r.get(0)?,
                source: Source::from_code(&r.get::<_, String>(1)?),
                ref_id: r.get(2)?,
                case_id: r.get(3)?,
                case_number: r.get(4)?,
                label: r.get(5)?,
                body: r.get(6)?,
                at: r.get(7)?,
                kind: r.get(8)?,
                state: r.get(9)?,
                field_id: r.get(10)?,
                agency_id: r.get(11)?,
                tier,
            })
        })
        .optional()?)
}

/// How many documents match `expr`, counted up to one past [`COUNT_CAP`], and the facets
/// of the newest [`COUNT_CAP`] of them (from memory: `facets.rs`).
fn count_and_facets(
    c: &Connection,
    expr: &str,
    map: &RwLock<FacetMap>,
) -> Result<(usize, Facets), StoreError> {
    let mut stmt = c.prepare_cached(&format!("{MATCHING} ORDER BY 1 LIMIT ?2"))?;
    let ids: Vec<i64> = stmt
        .query_map(params![expr, COUNT_CAP as i64 + 1], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut out = Facets::default();
    let map = map.read().unwrap_or_else(|p| p.into_inner());
    for id in ids.iter().take(COUNT_CAP) {
        map.count(*id, &mut out);
    }
    out.sort();
    Ok((ids.len(), out))
}

/// What is added to every tier's expression: what the searcher may see and the facets
/// chosen. `None` when they may see nothing.
pub fn restriction(scope: &Scope, filters: &Filters) -> Option<String> {
    let mut out = String::new();
    match scope {
        Scope::Everything => {}
        Scope::Organisations(orgs) if orgs.is_empty() => return None,
        Scope::Organisations(orgs) => {
            let any: Vec<String> = orgs
                .iter()
                .map(|o| format!("\"{}\"", crate::search::acl_token(*o)))
                .collect();
            out.push_str(&format!(" AND acl : ({})", any.join(" OR ")));
        }
        Scope::Nothing => return None,
    }
    for tag in filters.tags() {
        out.push_str(&format!(" AND tags : \"{tag}\""));
    }
    Some(out)
}
