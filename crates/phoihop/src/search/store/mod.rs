//! The index file of one node: an SQLite database of its own beside the data (never the
//! shared database), holding an FTS5 table of syllables in two forms, the documents'
//! original text for snippets, their facets, and the outbox cursor it has applied.
//! Losing it loses nothing: the node rebuilds it from the database.

mod read;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

pub use read::restriction;

use super::Doc;
use super::analyze::Analysed;

/// Bumped when the layout below changes: an index of another version is rebuilt.
const LAYOUT: &str = "3";

/// Matches counted, and used for facets, at most: past this the page says "more than".
pub const COUNT_CAP: usize = 1_000;
/// Results per page, and the deepest page offered.
pub const PER_PAGE: usize = 20;
pub const MAX_PAGE: usize = 50;
/// No search runs longer than this; a broader one is stopped with a message.
const TIME_LIMIT: Duration = Duration::from_secs(2);

const SCHEMA: &str = "
    CREATE VIRTUAL TABLE terms USING fts5(
        exact, folded, title, acl, tags,
        tokenize = \"ascii tokenchars '_'\",
        content = '', contentless_delete = 1
    );
    CREATE TABLE docs (
        id          INTEGER PRIMARY KEY,
        source      TEXT NOT NULL,
        ref_id      INTEGER NOT NULL,
        case_id     INTEGER NOT NULL,
        case_number TEXT NOT NULL,
        label       TEXT NOT NULL,
        body        TEXT NOT NULL,
        at          INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX docs_ref ON docs (source, ref_id);
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
}

/// One index file: a writer (the indexer's) and readers (searches).
pub struct Store {
    path: PathBuf,
    writer: Mutex<Writer>,
    readers: Mutex<Vec<Connection>>,
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

fn open_conn(path: &Path, cache_kib: i64) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    // Rebuildable from the database at any time: durability is not its job.
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA busy_timeout = 5000;
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
        if !path.exists() {
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
        Ok(Some(Store::with(path, conn)))
    }

    /// Makes an empty index at `path`, replacing whatever was there.
    pub fn create(path: &Path) -> Result<Store, StoreError> {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
        let conn = open_conn(path, WRITER_CACHE_KIB)?;
        conn.execute_batch(SCHEMA)?;
        // Larger pages and a larger in-memory buffer before a segment is written: fewer,
        // bigger segments to merge while a whole index is built.
        conn.execute_batch(
            "INSERT INTO terms (terms, rank) VALUES ('pgsz', 4050);
             INSERT INTO terms (terms, rank) VALUES ('hashsize', 16777216);
             INSERT INTO terms (terms, rank) VALUES ('automerge', 8);",
        )?;
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('layout', ?1)",
            [LAYOUT],
        )?;
        Ok(Store::with(path, conn))
    }

    fn with(path: &Path, writer: Connection) -> Store {
        Store {
            path: path.to_owned(),
            writer: Mutex::new(Writer {
                conn: writer,
                analyzer: Default::default(),
            }),
            readers: Mutex::new(Vec::new()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
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
        write(&mut writer.conn, case_ids, &analysed, meta)
    }
}

/// [`rows`] in a transaction of its own.
fn write(
    conn: &mut Connection,
    case_ids: &[i64],
    analysed: &[Analysed],
    meta: &[(&str, String)],
) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    rows(&tx, case_ids, analysed, meta)?;
    tx.commit()?;
    Ok(())
}

/// Removes what was indexed for `case_ids`, adds `analysed` and sets `meta`, in the
/// caller's transaction.
fn rows(
    tx: &Connection,
    case_ids: &[i64],
    analysed: &[Analysed],
    meta: &[(&str, String)],
) -> Result<(), StoreError> {
    {
        let mut old = tx.prepare_cached("SELECT id FROM docs WHERE case_id = ?1")?;
        let mut del_terms = tx.prepare_cached("DELETE FROM terms WHERE rowid = ?1")?;
        let mut del_docs = tx.prepare_cached("DELETE FROM docs WHERE id = ?1")?;
        let mut del_facets = tx.prepare_cached("DELETE FROM facets WHERE id = ?1")?;
        for case_id in case_ids {
            let ids: Vec<i64> = old
                .query_map([case_id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for id in ids {
                del_terms.execute([id])?;
                del_docs.execute([id])?;
                del_facets.execute([id])?;
            }
        }
        let mut ins_doc = tx.prepare_cached(
            "INSERT INTO docs (source, ref_id, case_id, case_number, label, body, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut ins_terms = tx.prepare_cached(
            "INSERT INTO terms (rowid, exact, folded, title, acl, tags)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut ins_facets = tx.prepare_cached(
            "INSERT INTO facets (id, kind, state, field_id, agency_id, year)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for Analysed {
            doc,
            exact,
            folded,
            title,
        } in analysed
        {
            ins_doc.execute(params![
                doc.source.code(),
                doc.ref_id,
                doc.case_id,
                doc.case_number,
                doc.label,
                doc.body,
                doc.at
            ])?;
            let id = tx.last_insert_rowid();
            ins_terms.execute(params![
                id,
                exact,
                folded,
                title,
                doc.acl_tokens(),
                doc.tags()
            ])?;
            ins_facets.execute(params![
                id,
                doc.kind,
                doc.state,
                doc.field_id,
                doc.agency_id,
                doc.year
            ])?;
        }
        let mut set = tx.prepare_cached(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?;
        for (k, v) in meta {
            set.execute(params![k, v])?;
        }
    }
    Ok(())
}

/// Documents committed at once while a whole generation is written: FTS5 writes its
/// pending terms as a new segment at every commit, and each segment is merged again
/// later, so a rebuild in a few large transactions writes far less than one in many
/// small ones. The pending terms of this many documents take some tens of MB.
const BULK_COMMIT: usize = 25_000;

/// A whole generation being written, before anyone searches it.
pub struct Bulk<'a> {
    writer: std::sync::MutexGuard<'a, Writer>,
    pending: usize,
}

impl Store {
    /// Starts writing a whole generation.
    pub fn bulk(&self) -> Result<Bulk<'_>, StoreError> {
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        writer.conn.execute_batch("BEGIN")?;
        Ok(Bulk { writer, pending: 0 })
    }
}

impl Bulk<'_> {
    pub fn write(&mut self, analysed: &[Analysed]) -> Result<(), StoreError> {
        rows(&self.writer.conn, &[], analysed, &[])?;
        self.pending += analysed.len();
        if self.pending >= BULK_COMMIT {
            self.writer.conn.execute_batch("COMMIT; BEGIN")?;
            self.pending = 0;
        }
        Ok(())
    }

    /// Commits what is written.
    pub fn finish(self) -> Result<(), StoreError> {
        self.writer.conn.execute_batch("COMMIT")?;
        Ok(())
    }
}

impl Drop for Bulk<'_> {
    fn drop(&mut self) {
        // After `finish` there is nothing to roll back; after an error, what was not
        // committed goes (the generation is not marked complete either way).
        if !self.writer.conn.is_autocommit() {
            let _ = self.writer.conn.execute_batch("ROLLBACK");
        }
    }
}
