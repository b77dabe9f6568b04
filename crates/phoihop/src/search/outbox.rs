//! The outbox: one row per change that readers outside the transaction must learn of,
//! written by the change's own transaction. Rows are never updated; each reader keeps
//! its own cursor.

use crate::db::{Conn, DbError};
use crate::params;

/// A case's text, parties, state or attachments changed.
pub const CASE: &str = "case";
/// Every node rebuilds its index from scratch.
pub const REINDEX: &str = "reindex";

pub fn case_changed(conn: &mut dyn Conn, case_id: i64, now_ms: i64) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO outbox (at, topic, ref_id) VALUES ($1, $2, $3)",
        params![now_ms, CASE, case_id],
    )?;
    Ok(())
}

/// Asks every node to rebuild its index (what `phoihop reindex` does); returns the row.
pub fn request_reindex(conn: &mut dyn Conn, now_ms: i64) -> Result<i64, DbError> {
    conn.scalar(
        "INSERT INTO outbox (at, topic, ref_id) VALUES ($1, $2, 0) RETURNING id",
        params![now_ms, REINDEX],
    )
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub at: i64,
    pub topic: String,
    pub ref_id: i64,
}

/// Up to `limit` rows after `cursor`, oldest first.
pub fn after(conn: &mut dyn Conn, cursor: i64, limit: i64) -> Result<Vec<Entry>, DbError> {
    // LIMIT is written into the SQL: a bound LIMIT makes SQLite (built with STAT4) plan
    // the statement again on every run.
    conn.query(
        &format!(
            "SELECT id, at, topic, ref_id FROM outbox WHERE id > $1 ORDER BY id LIMIT {}",
            limit.max(0)
        ),
        params![cursor],
    )?
    .iter()
    .map(|r| {
        Ok(Entry {
            id: r.get(0)?,
            at: r.get(1)?,
            topic: r.get(2)?,
            ref_id: r.get(3)?,
        })
    })
    .collect()
}

/// The newest row's id and time (0, 0 when there is none).
pub fn last(conn: &mut dyn Conn) -> Result<(i64, i64), DbError> {
    let row = conn.query_opt("SELECT id, at FROM outbox ORDER BY id DESC LIMIT 1", &[])?;
    match row {
        Some(r) => Ok((r.get(0)?, r.get(1)?)),
        None => Ok((0, 0)),
    }
}

/// The time of row `id`, if there is such a row (an index checks that its cursor
/// belongs to this database and not to one restored over it).
pub fn at_of(conn: &mut dyn Conn, id: i64) -> Result<Option<i64>, DbError> {
    conn.query_opt("SELECT at FROM outbox WHERE id = $1", params![id])?
        .map(|r| r.get(0))
        .transpose()
}

/// Removes rows written before `before_ms`, oldest first and at most `limit`, always
/// keeping the newest row (a node checks its cursor against it when it starts). A node
/// whose cursor row is gone was away longer than the retention and rebuilds its index
/// at start, as after a restore.
pub fn purge(conn: &mut dyn Conn, before_ms: i64, limit: i64) -> Result<u64, DbError> {
    conn.execute(
        &format!(
            "DELETE FROM outbox WHERE id IN
             (SELECT id FROM outbox WHERE id < (SELECT MAX(id) FROM outbox) ORDER BY id LIMIT {})
             AND at < $1",
            limit.max(0)
        ),
        params![before_ms],
    )
}
