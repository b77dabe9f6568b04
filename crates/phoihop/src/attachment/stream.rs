//! A stored file sent piece by piece: a download holds a few pieces in memory whatever
//! the file's size, read on a blocking thread just ahead of the connection (a slow
//! client slows the reading, not the node's memory).

use std::io::{self, Read};
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Bytes;
use http_body::{Frame, SizeHint};
use tokio::sync::mpsc;

use super::blobs;
use super::store::{FileStore, db_error};
use crate::db::Db;

/// Bytes read from a file of the folder store at a time.
const FILE_PIECE: usize = 256 * 1024;
/// Pieces read ahead of the connection.
const AHEAD: usize = 2;

/// Where the next piece of a file comes from.
pub enum Pieces {
    Folder(std::fs::File),
    /// The database's chunks ([`blobs::CHUNK_BYTES`] each), one query each.
    Database {
        db: Db,
        sha256: String,
        next: i64,
        chunks: i64,
    },
}

impl Pieces {
    /// The next piece, `None` at the end. Blocking.
    fn next_piece(&mut self) -> io::Result<Option<Vec<u8>>> {
        match self {
            Pieces::Folder(file) => {
                let mut piece = Vec::with_capacity(FILE_PIECE);
                file.by_ref()
                    .take(FILE_PIECE as u64)
                    .read_to_end(&mut piece)?;
                Ok((!piece.is_empty()).then_some(piece))
            }
            Pieces::Database {
                db,
                sha256,
                next,
                chunks,
            } => {
                if *next >= *chunks {
                    return Ok(None);
                }
                let seq = *next;
                let piece = db
                    .read_blocking(|c| blobs::chunk(c, sha256, seq))
                    .map_err(db_error)?;
                *next += 1;
                Ok(Some(piece))
            }
        }
    }
}

impl FileStore {
    /// The file named `sha256`, opened for sending: its size and its pieces. Blocking.
    pub fn open(&self, db: &Db, sha256: &str) -> io::Result<(u64, Pieces)> {
        let missing = || io::Error::new(io::ErrorKind::NotFound, "no such file");
        let path = self.path_of(sha256).ok_or_else(missing)?;
        if !self.in_database() {
            let file = std::fs::File::open(path)?;
            let size = file.metadata()?.len();
            return Ok((size, Pieces::Folder(file)));
        }
        let (size, chunks) = db
            .read_blocking(|c| blobs::head(c, sha256))
            .map_err(db_error)?
            .ok_or_else(missing)?;
        let pieces = Pieces::Database {
            db: db.clone(),
            sha256: sha256.to_owned(),
            next: 0,
            chunks,
        };
        Ok((u64::try_from(size).unwrap_or(0), pieces))
    }
}

/// A response body fed by [`Pieces`] read on a blocking thread.
pub struct Streamed {
    arriving: mpsc::Receiver<io::Result<Bytes>>,
    /// Bytes still to send: the exact size a client is told up front.
    left: u64,
}

impl Streamed {
    /// Starts reading `pieces` (`size` bytes in all), a little ahead of the connection.
    pub fn start(size: u64, mut pieces: Pieces) -> Streamed {
        let (send, arriving) = mpsc::channel(AHEAD);
        tokio::task::spawn_blocking(move || {
            loop {
                let piece = match pieces.next_piece() {
                    Ok(Some(piece)) => Ok(Bytes::from(piece)),
                    Ok(None) => break,
                    Err(e) => Err(e),
                };
                let failed = piece.is_err();
                // The connection went away: stop reading.
                if send.blocking_send(piece).is_err() || failed {
                    break;
                }
            }
        });
        Streamed {
            arriving,
            left: size,
        }
    }
}

impl http_body::Body for Streamed {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match self.arriving.poll_recv(cx) {
            Poll::Ready(Some(Ok(bytes))) => {
                self.left = self.left.saturating_sub(bytes.len() as u64);
                Poll::Ready(Some(Ok(Frame::data(bytes))))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
            // Fewer bytes than announced: the client must see a broken download, not a
            // short file.
            Poll::Ready(None) if self.left > 0 => Poll::Ready(Some(Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the stored file ended before its size",
            )))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.left == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.left)
    }
}
