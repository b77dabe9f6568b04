//! The index file of one node: an SQLite database of its own beside the data (never the
//! shared database), holding an FTS5 table of syllables in two forms, the documents'
//! original text for snippets, their facets, and the outbox cursor it has applied.
//! Losing it loses nothing: the node rebuilds it from the database.
//!
//! The terms live in two files, `index-<n>.sqlite` (with everything else) and
//! `index-<n>-1.sqlite` (terms only), so that a rebuild writes them on two threads
//! (`bulk.rs`): FTS5 writing is most of a rebuild and one SQLite file has one writer.
//! Searches read both as one list, newest first (`read.rs`); each document's terms are
//! in one of them (`docs.shard`), and changes after a rebuild go to the first.

mod bulk;
mod facets;
mod read;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

pub use bulk::Bulk;
#[cfg(test)]
pub(crate) use bulk::Share;
pub use read::{MATCHING, restriction};

use super::Doc;
use super::analyze::Analysed;

/// Bumped when the layout below or what analysis stores changes: an index of another
/// version is rebuilt at start (5: the title's marked spellings in the title column,
/// invisible characters no longer split a word; 6: those spellings as title terms).
const LAYOUT: &str = "6";

/// Matches counted, and used for facets, at most: past this the page says "more than".
pub const COUNT_CAP: usize = 1_000;
/// Results per page, and the deepest page offered.
pub const PER_PAGE: usize = 20;
pub const MAX_PAGE: usize = 50;
/// No search runs longer than this; a broader one is stopped with a message.
const TIME_LIMIT: Duration = Duration::from_secs(2);

/// The terms table, in both files.
const TERMS: &str = "
    CREATE VIRTUAL TABLE {schema}.terms USING fts5(
        exact, folded, title, acl, tags,
        tokenize = \"ascii tokenchars '_'\",
        content = '', contentless_delete = 1
    );
    -- Larger pages and a larger in-memory buffer before a segment is written: fewer,
    -- bigger segments to merge while a whole index is built (see `bulk::BULK_COMMIT`).
    INSERT INTO {schema}.terms (terms, rank) VALUES ('pgsz', 4050);
    INSERT INTO {schema}.terms (terms, rank) VALUES ('hashsize', 67108864);
    INSERT INTO {schema}.terms (terms, rank) VALUES ('automerge', 8);
";

/// The rest, in the first file.
const SCHEMA: &str = "
    CREATE TABLE docs (
        id          INTEGER PRIMARY KEY,
        source      TEXT NOT NULL,
        ref_id      INTEGER NOT NULL,
        case_id     INTEGER NOT NULL,
        case_number TEXT NOT NULL,
        label       TEXT NOT NULL,
        body        TEXT NOT NULL,
        at          INTEGER NOT NULL,
        -- Which file holds its terms: 0 main, 1 the second.
        shard       INTEGER NOT NULL
    );
    CREATE INDEX docs_case ON docs (case_id);
    CREATE TABLE facets (
        id        INTEGER PRIMARY KEY,
        kind      TEXT NOT NULL,
        state     TEXT NOT NULL,
        field_id  INTEGER,
        agency_id INTEGER NOT NULL,
        year      INTEGER NOT NULL
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("search index: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the search took too long")]
    TooBroad,
    #[error("search index writer: {0}")]
    Thread(String),
}

/// One index (its two files): a writer (the indexer's) and readers (searches).
pub struct Store {
    path: PathBuf,
    /// The second file of terms.
    shard: PathBuf,
    writer: Mutex<Writer>,
    readers: Mutex<Vec<Connection>>,
    facets: RwLock<facets::FacetMap>,
}

/// Page cache of the indexer's connection and of each searcher's, in KiB: searches
/// read a few pages each, and up to eight searchers stay open.
const WRITER_CACHE_KIB: i64 = 8_000;
const READER_CACHE_KIB: i64 = 2_000;

/// The indexer's side: its connection and what it remembers of spellings.
struct Writer {
    conn: Connection,
    analyzer: super::analyze::Analyzer,
}

/// The second file of the index at `path`.
fn shard_path(path: &Path) -> PathBuf {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!("{stem}-1.sqlite"))
}

/// Removes the index at `path`, both files and their journals.
pub fn remove_files(path: &Path) {
    for file in [path.to_owned(), shard_path(path)] {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = file.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
}

/// A connection to the index at `path` with its second file attached as `s1`.
fn open_conn(path: &Path, cache_kib: i64) -> Result<Connection, StoreError> {
    let conn = open_file(path, cache_kib)?;
    attach_shard(&conn, path, cache_kib)?;
    Ok(conn)
}

/// Attaches the second file of the index at `path` to `conn` as `s1`.
fn attach_shard(conn: &Connection, path: &Path, cache_kib: i64) -> Result<(), StoreError> {
    let shard = shard_path(path);
    conn.execute("ATTACH DATABASE ?1 AS s1", [shard.to_string_lossy()])?;
    // Rebuildable from the database at any time: durability is not its job.
    conn.execute_batch("PRAGMA s1.journal_mode = WAL; PRAGMA s1.synchronous = OFF;")?;
    conn.pragma_update(Some("s1"), "cache_size", -cache_kib)?;
    Ok(())
}

/// Writes a file of `conn` with no journal while a whole generation is written: nobody
/// reads a generation before it is complete and an incomplete one is thrown away, so
/// each page is written once instead of twice. Only when nobody has the file open (a
/// first index, installed empty while it fills, may have searchers): else it stays as
/// it is.
fn unjournaled(conn: &Connection, schema: &str) {
    let _ = conn.query_row(&format!("PRAGMA {schema}.journal_mode = OFF"), [], |r| {
        r.get::<_, String>(0)
    });
}

/// A connection to one file of the index.
fn open_file(path: &Path, cache_kib: i64) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    // Rebuildable from the database at any time: durability is not its job.
    // The timeout first: setting the journal mode needs a lock, which a rebuild may
    // hold for a moment when a searcher opens its connection.
    conn.execute_batch(
        "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;
         PRAGMA temp_store = MEMORY;",
    )?;
    conn.pragma_update(None, "cache_size", -cache_kib)?;
    conn.set_prepared_statement_cache_capacity(32);
    Ok(conn)
}

impl Store {
    /// Opens the index at `path`; `None` when there is none of this layout (a fresh one
    /// is then made by [`Store::create`]).
    pub fn open(path: &Path) -> Result<Option<Store>, StoreError> {
        if !path.exists() || !shard_path(path).exists() {
            return Ok(None);
        }
        let conn = open_conn(path, WRITER_CACHE_KIB)?;
        let layout: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key = 'layout'", [], |r| {
                r.get(0)
            })
            .optional()
            .unwrap_or(None);
        if layout.as_deref() != Some(LAYOUT) {
            return Ok(None);
        }
        Ok(Some(Store::with(path, conn)?))
    }

    /// Makes an empty index at `path`, replacing whatever was there.
    pub fn create(path: &Path) -> Result<Store, StoreError> {
        remove_files(path);
        let conn = open_conn(path, WRITER_CACHE_KIB)?;
        conn.execute_batch(SCHEMA)?;
        for schema in ["main", "s1"] {
            conn.execute_batch(&TERMS.replace("{schema}", schema))?;
        }
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('layout', ?1)",
            [LAYOUT],
        )?;
        Store::with(path, conn)
    }

    fn with(path: &Path, writer: Connection) -> Result<Store, StoreError> {
        let facets = facets::FacetMap::load(&writer)?;
        Ok(Store {
            path: path.to_owned(),
            shard: shard_path(path),
            writer: Mutex::new(Writer {
                conn: writer,
                analyzer: Default::default(),
            }),
            readers: Mutex::new(Vec::new()),
            facets: RwLock::new(facets),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The size of both files.
    pub fn bytes(&self) -> u64 {
        [&self.path, &self.shard]
            .iter()
            .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
            .sum()
    }

    /// A connection to search with outside [`Store::search`] (the benchmark's recall),
    /// with no time limit: `MATCHING` runs on it.
    pub fn reader(&self) -> Result<Connection, StoreError> {
        read::open_reader(&self.path)
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        Ok(writer
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Replaces everything indexed for `case_ids` with `docs` (none for a case that is
    /// gone), and records `meta` pairs (the cursor), in one transaction.
    pub fn replace(
        &self,
        case_ids: &[i64],
        docs: Vec<Doc>,
        meta: &[(&str, String)],
    ) -> Result<(), StoreError> {
        let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let analysed: Vec<Analysed> = docs
            .into_iter()
            .map(|d| writer.analyzer.analyse(d))
            .collect();
        let tx = writer.conn.transaction()?;
        let (removed, added) = rows(&tx, case_ids, &analysed, meta)?;
        tx.commit()?;
        let mut facets = self.facets.write().unwrap_or_else(|p| p.into_inner());
        for id in removed {
            facets.remove(id);
        }
        for (id, a) in added.into_iter().zip(&analysed) {
            facets.insert(id, &a.doc);
        }
        Ok(())
    }
}

/// Removes what was indexed for `case_ids`, adds `analysed` and sets `meta`, in the
/// caller's transaction; returns the ids removed and those given to `analysed`.
fn rows(
    tx: &Connection,
    case_ids: &[i64],
    analysed: &[Analysed],
    meta: &[(&str, String)],
) -> Result<(Vec<i64>, Vec<i64>), StoreError> {
    let removed = remove(tx, case_ids)?;
    // Below every id so far, and upwards in the order given (each case, then its
    // files, as a rebuild numbers them; FTS5 writes out its pending terms whenever an
    // id goes down).
    let first = next_id(tx)? - (analysed.len() as i64 - 1);
    let mut added = Vec::with_capacity(analysed.len());
    for (id, a) in (first..).zip(analysed) {
        add_doc(tx, id, 0, &a.doc)?;
        add_terms(tx, "main", id, &terms_of(a))?;
        added.push(id);
    }
    let mut set = tx.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?;
    for (k, v) in meta {
        set.execute(params![k, v])?;
    }
    Ok((removed, added))
}

/// Removes what was indexed for `case_ids`; returns the documents' ids.
fn remove(tx: &Connection, case_ids: &[i64]) -> Result<Vec<i64>, StoreError> {
    let mut removed = Vec::new();
    let mut old = tx.prepare_cached("SELECT id, shard FROM docs WHERE case_id = ?1")?;
    let mut del_terms = [
        tx.prepare_cached("DELETE FROM main.terms WHERE rowid = ?1")?,
        tx.prepare_cached("DELETE FROM s1.terms WHERE rowid = ?1")?,
    ];
    let mut del_docs = tx.prepare_cached("DELETE FROM docs WHERE id = ?1")?;
    let mut del_facets = tx.prepare_cached("DELETE FROM facets WHERE id = ?1")?;
    for case_id in case_ids {
        let ids: Vec<(i64, usize)> = old
            .query_map([case_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (id, shard) in ids {
            del_terms[shard.min(1)].execute([id])?;
            del_docs.execute([id])?;
            del_facets.execute([id])?;
            removed.push(id);
        }
    }
    Ok(removed)
}

/// The id of the next document: one below the lowest, so that the newest comes first
/// in id order.
fn next_id(tx: &Connection) -> Result<i64, StoreError> {
    Ok(
        tx.query_row("SELECT coalesce(min(id), 0) - 1 FROM docs", [], |r| {
            r.get(0)
        })?,
    )
}

/// Adds `doc`'s text and facets under `id`, its terms in file `shard`.
fn add_doc(tx: &Connection, id: i64, shard: i64, doc: &Doc) -> Result<(), StoreError> {
    let mut ins_doc = tx.prepare_cached(
        "INSERT INTO docs (id, source, ref_id, case_id, case_number, label, body, at, shard)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut ins_facets = tx.prepare_cached(
        "INSERT INTO facets (id, kind, state, field_id, agency_id, year)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    ins_doc.execute(params![
        id,
        doc.source.code(),
        doc.ref_id,
        doc.case_id,
        doc.case_number,
        doc.label,
        doc.body,
        doc.at,
        shard
    ])?;
    ins_facets.execute(params![
        id,
        doc.kind,
        doc.state,
        doc.field_id,
        doc.agency_id,
        doc.year
    ])?;
    Ok(())
}

/// A document's terms, column by column.
type Terms = [String; 5];

fn terms_of(a: &Analysed) -> Terms {
    [
        a.exact.clone(),
        a.folded.clone(),
        a.title.clone(),
        a.doc.acl_tokens(),
        a.doc.tags(),
    ]
}

/// Adds the terms of document `id` to the terms table of `schema`.
fn add_terms(conn: &Connection, schema: &str, id: i64, terms: &Terms) -> Result<(), StoreError> {
    let mut ins = conn.prepare_cached(&format!(
        "INSERT INTO {schema}.terms (rowid, exact, folded, title, acl, tags)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    ))?;
    ins.execute(params![
        id, terms[0], terms[1], terms[2], terms[3], terms[4]
    ])?;
    Ok(())
}
