//! The reference lists every form and list page shows (active fields of work, current
//! localities), kept per node under the organisation tree's version (`org::tree`):
//! changes to `fields` (migration 0008) and to `localities` (0015) change that version
//! in the same transaction, so a list kept under a version is exactly the table at that
//! version, on every node. A list is read with the version in the same statement as its
//! rows (one snapshot); what is loaded may be newer than the caller's version, never
//! older.

use std::sync::{Arc, Mutex};

use super::{Field, Locality};
use crate::db::{Conn, Row};
use crate::error::Result;

/// Lists read recently, by the version they were read at; a few, for tests that run
/// several databases in one process.
type Kept<T> = Mutex<Vec<(i64, Arc<Vec<T>>)>>;

static FIELDS: Kept<Field> = Mutex::new(Vec::new());
static LOCALITIES: Kept<Locality> = Mutex::new(Vec::new());

/// The active fields, in their order, as pickers and list filters show them.
pub fn active_fields(conn: &mut dyn Conn, version: i64) -> Result<Arc<Vec<Field>>> {
    kept(
        &FIELDS,
        conn,
        version,
        "SELECT id, code, name, name_en, active, (SELECT v FROM org_version WHERE id = 1)
         FROM fields WHERE active = 1 ORDER BY position, name",
        5,
        super::field_from,
    )
}

/// The current localities (not closed), the province first, then by name: what a
/// locality picker offers.
pub fn current_localities(conn: &mut dyn Conn, version: i64) -> Result<Arc<Vec<Locality>>> {
    kept(
        &LOCALITIES,
        conn,
        version,
        "SELECT l.id, l.code, l.name, l.level, p.code, l.valid_from, l.valid_to,
                (SELECT v FROM org_version WHERE id = 1)
         FROM localities l LEFT JOIN localities p ON p.id = l.parent_id
         WHERE l.valid_to IS NULL
         ORDER BY CASE l.level WHEN 'province' THEN 0 ELSE 1 END, l.name",
        7,
        Locality::from_row,
    )
}

/// The list kept under `version`, or read with `sql` (whose column `version_at` is the
/// version it was read at) and kept under that.
fn kept<T>(
    cache: &Kept<T>,
    conn: &mut dyn Conn,
    version: i64,
    sql: &str,
    version_at: usize,
    from_row: fn(&Row) -> Result<T>,
) -> Result<Arc<Vec<T>>> {
    {
        let kept = cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, hit)) = kept.iter().rev().find(|(v, _)| *v == version) {
            return Ok(hit.clone());
        }
    }
    let rows = conn.query(sql, &[])?;
    let loaded_at = match rows.first() {
        Some(r) => r.get(version_at)?,
        None => version,
    };
    let list = Arc::new(rows.iter().map(from_row).collect::<Result<Vec<_>>>()?);
    let mut kept = cache.lock().unwrap_or_else(|p| p.into_inner());
    kept.retain(|(v, _)| *v != loaded_at);
    if kept.len() >= 4 {
        kept.remove(0);
    }
    kept.push((loaded_at, list.clone()));
    Ok(list)
}
