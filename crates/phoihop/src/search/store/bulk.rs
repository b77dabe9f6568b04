//! A whole generation written at once, on two threads: this one writes the documents,
//! their facets and some of the terms into the first file, a second thread writes the
//! other terms into the second file through a connection of its own.
//!
//! Which thread writes a batch's terms is decided as it comes: the second thread's when
//! its queue has room, this one's when the second is behind. So whichever writer is free
//! takes the next batch, and the work divides itself by what each thread really costs
//! on the machine at hand (a fixed share, tuned once, left a core idle part of the time
//! whenever the analysis or the text changed what a batch costs).

use std::sync::MutexGuard;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;

use rusqlite::Connection;

use super::{
    Store, StoreError, Terms, WRITER_CACHE_KIB, Writer, add_doc, add_terms, attach_shard,
    open_file, unjournaled,
};
use crate::search::analyze::Analysed;

/// Documents committed at once while a whole generation is written: FTS5 writes its
/// pending terms as a new segment at every commit (and when they pass `hashsize`, 64 MB),
/// and each segment is merged again later, so a rebuild in a few large transactions
/// writes far less than one in many small ones, and leaves fewer segments for searches
/// to read side by side. Counted by each thread for the documents it writes; a rebuild
/// of a million documents peaks at about 550 MB of memory with this.
const BULK_COMMIT: usize = 100_000;

/// A whole generation being written, before anyone searches it.
pub struct Bulk<'a> {
    writer: MutexGuard<'a, Writer>,
    /// The index's first file; its second is detached from `writer` until the end.
    path: &'a std::path::Path,
    detached: bool,
    facets: &'a std::sync::RwLock<super::facets::FacetMap>,
    pending: usize,
    next_id: i64,
    second: Option<Second>,
    share: Share,
    batches: usize,
}

/// How batches are shared between the two writers.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Share {
    /// Whichever writer is free takes the next batch (every rebuild).
    Free,
    /// Every other batch to each, so that tests know both files are written.
    #[cfg(test)]
    Alternate,
}

/// Documents' terms for the second thread, by id.
type Batch = Vec<(i64, Terms)>;

/// The second thread: where its documents go, and its outcome.
struct Second {
    send: SyncSender<Batch>,
    thread: JoinHandle<Result<(), StoreError>>,
}

impl Store {
    /// Starts writing a whole generation into this (empty) index, newest documents
    /// first.
    pub fn bulk(&self) -> Result<Bulk<'_>, StoreError> {
        self.bulk_sharing(Share::Free)
    }

    pub(crate) fn bulk_sharing(&self, share: Share) -> Result<Bulk<'_>, StoreError> {
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        // Ids go up as they are written (FTS5 writes a segment whenever one goes down)
        // while the documents arrive newest first: the newest gets the lowest id, and
        // changes after the rebuild go below it (`next_id`).
        let next_id = 1;
        // The second file is the second thread's alone until the end.
        let conn = open_file(&self.shard, WRITER_CACHE_KIB)?;
        writer.conn.execute_batch("DETACH DATABASE s1")?;
        unjournaled(&conn, "main");
        let (send, receive) = sync_channel(8);
        let spawned = std::thread::Builder::new()
            .name("index-writer-1".into())
            .spawn(move || write_terms(conn, receive));
        let thread = match spawned {
            Ok(thread) => thread,
            Err(e) => {
                let _ = attach_shard(&writer.conn, &self.path, WRITER_CACHE_KIB);
                return Err(StoreError::Thread(e.to_string()));
            }
        };
        unjournaled(&writer.conn, "main");
        let bulk = Bulk {
            writer,
            path: &self.path,
            detached: true,
            facets: &self.facets,
            pending: 0,
            next_id,
            second: Some(Second { send, thread }),
            share,
            batches: 0,
        };
        // From here on, dropping `bulk` puts everything back as it was.
        bulk.writer.conn.execute_batch("BEGIN")?;
        Ok(bulk)
    }
}

/// The second thread: terms as they come, committed every [`BULK_COMMIT`] documents.
fn write_terms(conn: Connection, arriving: Receiver<Batch>) -> Result<(), StoreError> {
    conn.execute_batch("BEGIN")?;
    let mut pending = 0;
    for batch in arriving {
        pending += batch.len();
        for (id, terms) in &batch {
            add_terms(&conn, "main", *id, terms)?;
        }
        if pending >= BULK_COMMIT {
            conn.execute_batch("COMMIT; BEGIN")?;
            pending = 0;
        }
    }
    conn.execute_batch("COMMIT")?;
    Ok(())
}

impl Bulk<'_> {
    pub fn write(&mut self, analysed: Vec<Analysed>) -> Result<(), StoreError> {
        let first = self.next_id;
        self.next_id += analysed.len() as i64;
        let mut docs = Vec::with_capacity(analysed.len());
        let mut terms: Batch = Vec::with_capacity(analysed.len());
        for (id, a) in (first..).zip(analysed) {
            terms.push((
                id,
                [a.exact, a.folded, a.title, a.doc.acl_tokens(), a.doc.tags()],
            ));
            docs.push(a.doc);
        }
        self.batches += 1;
        let sent = match (self.second.as_ref(), self.share) {
            (Some(second), Share::Free) => second.send.try_send(terms),
            #[cfg(test)]
            (Some(second), Share::Alternate) if self.batches % 2 == 1 => second
                .send
                .send(terms)
                .map_err(|e| TrySendError::Disconnected(e.0)),
            #[cfg(test)]
            (Some(_), Share::Alternate) => Err(TrySendError::Full(terms)),
            (None, _) => Err(TrySendError::Disconnected(terms)),
        };
        let conn = &self.writer.conn;
        let shard = match sent {
            Ok(()) => 1,
            Err(TrySendError::Full(terms)) => {
                for (id, terms) in &terms {
                    add_terms(conn, "main", *id, terms)?;
                }
                0
            }
            Err(TrySendError::Disconnected(_)) => {
                // The second thread stopped: its error says why.
                return self.stop_second().and(Err(StoreError::Thread(
                    "the second index writer stopped".into(),
                )));
            }
        };
        // Nobody searches this generation yet: the map is only being filled.
        let mut facets = self.facets.write().unwrap_or_else(|p| p.into_inner());
        for (id, doc) in (first..).zip(&docs) {
            add_doc(conn, id, shard, doc)?;
            facets.insert(id, doc);
        }
        drop(facets);
        self.pending += docs.len();
        if self.pending >= BULK_COMMIT {
            self.writer.conn.execute_batch("COMMIT; BEGIN")?;
            self.pending = 0;
        }
        Ok(())
    }

    /// Commits what is written, in both files.
    pub fn finish(mut self) -> Result<(), StoreError> {
        self.stop_second()?;
        self.writer
            .conn
            .execute_batch("COMMIT; PRAGMA main.journal_mode = WAL")?;
        self.attach()
    }

    /// Attaches the second file to the writer again (journaled as before).
    fn attach(&mut self) -> Result<(), StoreError> {
        if self.detached {
            attach_shard(&self.writer.conn, self.path, WRITER_CACHE_KIB)?;
            self.detached = false;
        }
        Ok(())
    }

    /// Tells the second thread there is no more, and waits for it.
    fn stop_second(&mut self) -> Result<(), StoreError> {
        let Some(Second { send, thread }) = self.second.take() else {
            return Ok(());
        };
        drop(send);
        thread
            .join()
            .map_err(|_| StoreError::Thread("the second index writer panicked".into()))?
    }
}

impl Drop for Bulk<'_> {
    fn drop(&mut self) {
        let _ = self.stop_second();
        // After `finish` there is nothing to roll back; after an error, what was not
        // committed goes (the generation is not marked complete either way).
        if !self.writer.conn.is_autocommit() {
            let _ = self.writer.conn.execute_batch("ROLLBACK");
        }
        let _ = self.attach();
    }
}
