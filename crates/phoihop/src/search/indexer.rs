//! The indexer of one node: reads the outbox after its cursor every fraction of a
//! second and applies what changed, or rebuilds everything into a new file while the
//! current one keeps answering, then swaps.
//!
//! Index files are generations, `index-<n>.sqlite` in the node's search folder; the
//! newest complete one is used and older ones are removed once replaced.
//!
//! On PostgreSQL identities can commit out of order: a row with a smaller id may appear
//! after a larger one was read. The cursor therefore stops at the first gap and waits
//! for it (rows after it are applied, and not again); a gap still open after
//! [`GAP_PATIENCE`] is a transaction that rolled back.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::clock;
use crate::db::{Db, DbError};

use std::sync::mpsc::SyncSender;

use super::analyze::{Analysed, Analyzer};
use super::outbox::{self, Entry};
use super::{Index, Store, StoreError, source};

/// How often the outbox is read when nothing happened.
pub const POLL: Duration = Duration::from_millis(200);
/// Rows read at a time.
const BATCH: i64 = 1_000;
/// How long a gap in the outbox ids is waited for.
const GAP_PATIENCE: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("search folder {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("building the index in a child process: {0}")]
    Child(String),
}

/// The state of one node's indexer between steps.
pub struct Indexer {
    db: Db,
    index: Arc<Index>,
    cursor: i64,
    /// Rows after the cursor already applied (beyond a gap).
    applied: BTreeSet<i64>,
    /// When each gap was first seen.
    gaps: HashMap<i64, Instant>,
    /// A first generation installed empty at opening, for the first step to fill.
    unfilled: Option<(u64, Arc<Store>)>,
}

impl Indexer {
    /// Opens the newest complete index in the node's folder, if any and if it belongs
    /// to this database. Otherwise an empty one is installed at once (searches answer,
    /// saying the index is being built) and the first [`Indexer::step`] fills it.
    pub fn open(db: Db, index: Arc<Index>) -> Result<Indexer, IndexError> {
        let dir = index.dir().to_owned();
        std::fs::create_dir_all(&dir).map_err(|e| IndexError::Io(dir.clone(), e))?;
        let mut indexer = Indexer {
            db,
            index,
            cursor: 0,
            applied: BTreeSet::new(),
            gaps: HashMap::new(),
            unfilled: None,
        };
        if let Some((store, cursor)) = indexer.newest_usable(&dir)? {
            indexer.cursor = cursor;
            indexer.index.install(Arc::new(store));
        } else {
            let (number, store) = new_generation(&dir)?;
            indexer.index.set_building(true);
            indexer.index.install(store.clone());
            indexer.unfilled = Some((number, store));
        }
        Ok(indexer)
    }

    fn newest_usable(&self, dir: &Path) -> Result<Option<(Store, i64)>, IndexError> {
        let Some((_, path)) = generations(dir).pop() else {
            return Ok(None);
        };
        let Some(store) = Store::open(&path)? else {
            return Ok(None);
        };
        if store.meta("complete")?.as_deref() != Some("1") {
            return Ok(None);
        }
        let cursor: i64 = store
            .meta("cursor")?
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let cursor_at: i64 = store
            .meta("cursor_at")?
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        // A database restored over the old one has other rows under the same ids.
        let here = self.db.read_blocking(|c| outbox::at_of(c, cursor))?;
        if cursor > 0 && here != Some(cursor_at) {
            tracing::info!("the search index belongs to another database; rebuilding");
            return Ok(None);
        }
        Ok(Some((store, cursor)))
    }

    /// Applies what the outbox says since the last step. True when it did anything.
    pub fn step(&mut self) -> Result<bool, IndexError> {
        if let Some((number, store)) = self.unfilled.take() {
            self.fill(number, store)?;
            return Ok(true);
        }
        let Some(store) = self.index.store() else {
            self.rebuild()?;
            return Ok(true);
        };
        let cursor = self.cursor;
        let entries = self.db.read_blocking(|c| outbox::after(c, cursor, BATCH))?;
        if entries.is_empty() {
            return Ok(false);
        }
        if entries
            .iter()
            .any(|e| e.topic == outbox::REINDEX && !self.applied.contains(&e.id))
        {
            self.rebuild()?;
            return Ok(true);
        }
        let fresh: Vec<&Entry> = entries
            .iter()
            .filter(|e| !self.applied.contains(&e.id))
            .collect();
        let mut cases: Vec<i64> = fresh
            .iter()
            .filter(|e| e.topic == outbox::CASE)
            .map(|e| e.ref_id)
            .collect();
        cases.sort_unstable();
        cases.dedup();
        let (next, next_at) = self.advance(&entries);
        if fresh.is_empty() && next == cursor {
            // Waiting at a gap with everything after it applied.
            return Ok(false);
        }
        let docs = self.db.read_blocking(|c| source::docs_for(c, &cases))?;
        store.replace(
            &cases,
            docs,
            &[
                ("cursor", next.to_string()),
                ("cursor_at", next_at.to_string()),
            ],
        )?;
        for e in &entries {
            if e.id > next {
                self.applied.insert(e.id);
            }
        }
        self.cursor = next;
        self.applied = self.applied.split_off(&(next + 1));
        Ok(true)
    }

    /// How far the cursor may move over `entries` (in id order): to the last row before
    /// the first gap that is still worth waiting for.
    fn advance(&mut self, entries: &[Entry]) -> (i64, i64) {
        let mut next = self.cursor;
        let mut next_at = 0;
        for e in entries {
            if e.id != next + 1 {
                let first_seen = *self.gaps.entry(next + 1).or_insert_with(Instant::now);
                if first_seen.elapsed() < GAP_PATIENCE {
                    break;
                }
                self.gaps.remove(&(next + 1));
            }
            next = e.id;
            next_at = e.at;
        }
        if next == self.cursor {
            // Nothing moved: keep the time that goes with the cursor we had.
            next_at = self.db_at(next).unwrap_or(0);
        }
        self.gaps.retain(|id, _| *id > next);
        (next, next_at)
    }

    fn db_at(&self, id: i64) -> Option<i64> {
        self.db
            .read_blocking(|c| outbox::at_of(c, id))
            .ok()
            .flatten()
    }

    /// Rebuilds the index from every case now, as `phoihop reindex` would, and returns
    /// how many documents the new generation holds (the search benchmark times this).
    pub fn rebuild_now(&mut self) -> Result<usize, IndexError> {
        self.rebuild()?;
        let n = match self.index.store() {
            Some(store) => store.documents()?,
            None => 0,
        };
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Builds a new generation from every case while the current one answers, then
    /// puts it in its place.
    fn rebuild(&mut self) -> Result<(), IndexError> {
        let (number, store) = new_generation(self.index.dir())?;
        self.fill(number, store)
    }

    /// Fills generation `number` from every case, marks it complete with the outbox
    /// cursor it is good up to, installs it and removes the others. With a
    /// [`Builder`] the filling happens in a child process (see there).
    fn fill(&mut self, number: u64, store: Arc<Store>) -> Result<(), IndexError> {
        let started = Instant::now();
        let dir = self.index.dir().to_owned();
        let (store, written) = match self.index.builder() {
            Some(builder) => {
                let path = store.path().to_owned();
                // Closed here before the child writes it (unless searches already
                // have it: a first index, installed empty while it fills).
                drop(store);
                builder.build(&path)?;
                let store = Store::open(&path)?.ok_or_else(|| {
                    IndexError::Child(format!("{} was not written", path.display()))
                })?;
                let cursor = |key: &str| -> Result<i64, IndexError> {
                    Ok(store.meta(key)?.and_then(|c| c.parse().ok()).unwrap_or(0))
                };
                if store.meta("complete")?.as_deref() != Some("1") {
                    return Err(IndexError::Child(format!(
                        "{} is not complete",
                        path.display()
                    )));
                }
                // The count the child wrote down: counting the documents here would read
                // the whole file into this process's memory.
                let written = Written {
                    documents: usize::try_from(cursor("documents")?).unwrap_or(0),
                    cursor: cursor("cursor")?,
                };
                (Arc::new(store), written)
            }
            None => {
                let written = write_generation(&self.db, &store)?;
                (store, written)
            }
        };
        self.index.install(store);
        self.index.set_building(false);
        self.cursor = written.cursor;
        self.applied.clear();
        self.gaps.clear();
        for (n, path) in generations(&dir) {
            if n != number {
                super::store::remove_files(&path);
            }
        }
        tracing::info!(
            documents = written.documents,
            ms = started.elapsed().as_millis() as u64,
            "search index built"
        );
        Ok(())
    }
}

/// What filling a generation wrote.
pub struct Written {
    pub documents: usize,
    /// The outbox row the generation is good up to.
    pub cursor: i64,
}

/// Writes every case into the empty generation `store` and marks it complete with the
/// outbox cursor it is good up to. One thread reads and analyses the cases while this
/// one writes (and `Store::bulk` a third).
pub fn write_generation(db: &Db, store: &Store) -> Result<Written, IndexError> {
    let dir = store.path().to_owned();
    let (cursor, cursor_at) = db.read_blocking(outbox::last)?;
    let (batches, arriving) = std::sync::mpsc::sync_channel(8);
    let reader_db = db.clone();
    let reader = std::thread::Builder::new()
        .name("index-reader".into())
        .spawn(move || read_all(&reader_db, &batches))
        .map_err(|e| IndexError::Io(dir.clone(), e))?;
    let mut documents = 0;
    let mut bulk = store.bulk()?;
    for batch in arriving {
        let batch: Vec<Analysed> = batch?;
        documents += batch.len();
        bulk.write(batch)?;
    }
    bulk.finish()?;
    let _ = reader.join();
    store.replace(
        &[],
        Vec::new(),
        &[
            ("cursor", cursor.to_string()),
            ("cursor_at", cursor_at.to_string()),
            ("complete", "1".to_owned()),
            ("built_at", clock::now_ms().to_string()),
            ("documents", documents.to_string()),
        ],
    )?;
    Ok(Written { documents, cursor })
}

/// Writes the generation whose first file is `path` (made by the server, empty) from
/// every case: the work of `phoihop index-build`.
pub fn build_generation(db: &Db, path: &Path) -> Result<Written, IndexError> {
    let store = match Store::open(path)? {
        Some(store) => store,
        None => Store::create(path)?,
    };
    write_generation(db, &store)
}

/// Builds generations in a child process: `phoihop index-build`, the same program,
/// writing the same files. A rebuild's working memory (the writers' pending terms,
/// the analyser's tables; a few hundred MB for a million cases) then goes back to the
/// system when the child ends, where in the server's own process the allocators would
/// keep much of it resident for good. The server opens the finished files.
#[derive(Debug, Clone)]
pub struct Builder {
    /// The `phoihop` program.
    pub program: PathBuf,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
}

impl Builder {
    fn build(&self, index_file: &Path) -> Result<(), IndexError> {
        let mut command = std::process::Command::new(&self.program);
        command
            .arg("index-build")
            .arg("--data")
            .arg(&self.data_dir)
            .arg("--index-file")
            .arg(index_file)
            .stdin(std::process::Stdio::null());
        // The URL may hold a password: in the environment, not on a command line that
        // every user of the machine can list.
        match &self.database_url {
            Some(url) => command.env("PHOIHOP_DATABASE_URL", url),
            None => command.env_remove("PHOIHOP_DATABASE_URL"),
        };
        let status = command
            .status()
            .map_err(|e| IndexError::Child(format!("{}: {e}", self.program.display())))?;
        if status.success() {
            Ok(())
        } else {
            Err(IndexError::Child(format!(
                "index-build ended with {status}"
            )))
        }
    }
}

/// Reads every case in batches, newest first, analysed, into `out`; stops at the end,
/// at an error (sent on) or when nobody listens any more.
fn read_all(db: &Db, out: &SyncSender<Result<Vec<Analysed>, IndexError>>) {
    let mut analyzer = Analyzer::default();
    let mut before = i64::MAX;
    loop {
        let batch = db.read_blocking(|c| -> Result<_, DbError> {
            let ids = source::case_ids_before(c, before)?;
            let docs = source::docs_for(c, &ids)?;
            Ok((ids.last().copied(), docs))
        });
        let mut docs = match batch {
            Ok((Some(last), docs)) => {
                before = last;
                docs
            }
            Ok((None, _)) => return,
            Err(e) => {
                let _ = out.send(Err(e.into()));
                return;
            }
        };
        // Newest first: each case, then its files.
        docs.sort_by_key(|d| {
            (
                std::cmp::Reverse(d.case_id),
                d.source != super::Source::Case,
                std::cmp::Reverse(d.ref_id),
            )
        });
        let analysed = docs.into_iter().map(|d| analyzer.analyse(d)).collect();
        if out.send(Ok(analysed)).is_err() {
            return;
        }
    }
}

/// An empty index file, numbered after the newest in `dir`.
fn new_generation(dir: &Path) -> Result<(u64, Arc<Store>), IndexError> {
    let number = generations(dir).last().map_or(1, |(n, _)| n + 1);
    let store = Store::create(&dir.join(format!("index-{number}.sqlite")))?;
    Ok((number, Arc::new(store)))
}

/// The index files in `dir`, oldest first.
fn generations(dir: &Path) -> Vec<(u64, PathBuf)> {
    let mut out: Vec<(u64, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let n = name.strip_prefix("index-")?.strip_suffix(".sqlite")?;
            Some((n.parse().ok()?, e.path()))
        })
        .collect();
    out.sort();
    out
}

/// Opens this node's index (see [`Indexer::open`]); searches can use it from then on.
pub async fn open(db: Db, index: Arc<Index>) -> Option<Indexer> {
    match tokio::task::spawn_blocking(move || Indexer::open(db, index)).await {
        Ok(Ok(indexer)) => Some(indexer),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "search index unavailable");
            None
        }
        Err(_) => None,
    }
}

/// Runs the indexer of this node until the runtime stops.
pub async fn run(mut indexer: Indexer) {
    let mut quiet = POLL;
    loop {
        let outcome = tokio::task::spawn_blocking(move || {
            let result = indexer.step();
            (indexer, result)
        })
        .await;
        let Ok((back, result)) = outcome else { return };
        indexer = back;
        match result {
            Ok(true) => quiet = Duration::ZERO,
            Ok(false) => quiet = POLL,
            Err(e) => {
                tracing::warn!(error = %e, "search indexer");
                quiet = (quiet * 2).clamp(POLL, Duration::from_secs(10));
            }
        }
        if !quiet.is_zero() {
            tokio::time::sleep(quiet).await;
        }
    }
}
