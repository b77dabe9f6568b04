//! Attachment bytes kept in the database (`file_blobs`, `file_chunks`): where they live
//! when the database is PostgreSQL, so that any node serves any file and the files are
//! inside the database's backups, restores and replicas. Content-addressed like the
//! folder store: the same bytes are stored once, never replaced.

use crate::db::{Conn, DbError};
use crate::params;

/// The largest piece of a file in one row: big enough that a 20 MiB file is twenty
/// rows, small enough that no single value strains a connection's buffers.
pub const CHUNK_BYTES: usize = 1024 * 1024;

/// Stores `bytes` under `sha256` (their hash) unless they are there already. Two nodes
/// storing the same bytes at once: the second waits on the first's row and then finds
/// it there.
pub fn put(conn: &mut dyn Conn, sha256: &str, bytes: &[u8], now_ms: i64) -> Result<(), DbError> {
    let chunks = bytes.len().div_ceil(CHUNK_BYTES).max(1);
    let inserted = conn.query(
        "INSERT INTO file_blobs (sha256, size_bytes, chunks, stored_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (sha256) DO NOTHING RETURNING sha256",
        params![sha256, bytes.len() as i64, chunks as i64, now_ms],
    )?;
    if inserted.is_empty() {
        return Ok(());
    }
    for (seq, piece) in bytes.chunks(CHUNK_BYTES).enumerate() {
        conn.execute(
            "INSERT INTO file_chunks (sha256, seq, bytes) VALUES ($1, $2, $3)",
            params![sha256, seq as i64, piece.to_vec()],
        )?;
    }
    Ok(())
}

/// The bytes stored under `sha256`, or `None`. Chunks are read one at a time, so a
/// large file never makes the database build one large result.
pub fn read(conn: &mut dyn Conn, sha256: &str) -> Result<Option<Vec<u8>>, DbError> {
    let Some((size, chunks)) = head(conn, sha256)? else {
        return Ok(None);
    };
    let mut out = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    for seq in 0..chunks {
        out.extend_from_slice(&chunk(conn, sha256, seq)?);
    }
    if out.len() as i64 != size {
        return Err(DbError::Decode(format!(
            "file {sha256}: {} of {size} bytes",
            out.len()
        )));
    }
    Ok(Some(out))
}

/// The size in bytes and the number of chunks of the file stored under `sha256`.
pub fn head(conn: &mut dyn Conn, sha256: &str) -> Result<Option<(i64, i64)>, DbError> {
    conn.query_opt(
        "SELECT size_bytes, chunks FROM file_blobs WHERE sha256 = $1",
        params![sha256],
    )?
    .map(|r| Ok((r.get(0)?, r.get(1)?)))
    .transpose()
}

/// Chunk `seq` (from 0) of the file stored under `sha256`.
pub fn chunk(conn: &mut dyn Conn, sha256: &str, seq: i64) -> Result<Vec<u8>, DbError> {
    conn.scalar(
        "SELECT bytes FROM file_chunks WHERE sha256 = $1 AND seq = $2",
        params![sha256, seq],
    )
}

/// Whether the bytes named `sha256` are stored.
pub fn has(conn: &mut dyn Conn, sha256: &str) -> Result<bool, DbError> {
    Ok(conn
        .query_opt(
            "SELECT 1 FROM file_blobs WHERE sha256 = $1",
            params![sha256],
        )?
        .is_some())
}

/// The names of all stored files, in order (backups).
pub fn names(conn: &mut dyn Conn) -> Result<Vec<String>, DbError> {
    conn.query("SELECT sha256 FROM file_blobs ORDER BY sha256", &[])?
        .iter()
        .map(|r| r.get(0))
        .collect()
}
