//! The organisation tree as each node keeps it in memory, for the pages that need it on
//! every request (the case page, the case lists): names by id and "is this unit under
//! that agency" without a query and a few dozen allocations each time.
//!
//! Validity: `org_version.v` (migration 0007) changes in the same transaction as any
//! change to `organisations` (database triggers, so every writer is covered) and starts
//! at a random number per database. A tree is cached under the `v` it was read with, in
//! the same statement as its rows, so a cached tree is exactly the table at that
//! version; a reader that sees another `v` loads the tree again. Nodes share nothing but
//! the database: another node's change shows up here as a new `v`.

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::{Arc, Mutex};

use super::{COLUMNS, Organisation};
use crate::db::Conn;
use crate::error::Result;

/// Every organisation, current and former, ordered by id, with lookups by id.
#[derive(Debug)]
pub struct OrgTree {
    version: i64,
    all: Vec<Organisation>,
    /// Position in `all` of each id.
    at: HashMap<i64, usize>,
    /// Positions in `all` of each organisation's direct children.
    children: HashMap<i64, Vec<usize>>,
}

impl Deref for OrgTree {
    type Target = [Organisation];

    fn deref(&self) -> &[Organisation] {
        &self.all
    }
}

impl OrgTree {
    fn new(version: i64, all: Vec<Organisation>) -> OrgTree {
        let at = all.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
        let mut children: HashMap<i64, Vec<usize>> = HashMap::new();
        for (i, o) in all.iter().enumerate() {
            if let Some(parent) = o.parent_id {
                children.entry(parent).or_default().push(i);
            }
        }
        OrgTree {
            version,
            all,
            at,
            children,
        }
    }

    /// The `org_version` this tree was read at.
    pub fn version(&self) -> i64 {
        self.version
    }

    pub fn get(&self, id: i64) -> Option<&Organisation> {
        self.at.get(&id).map(|&i| &self.all[i])
    }

    pub fn name(&self, id: i64) -> Option<&str> {
        self.get(id).map(|o| o.name.as_str())
    }

    /// `id` and every organisation below it (what `model::own_scope` computes), found
    /// by walking down instead of testing every organisation against every other.
    pub fn below(&self, id: i64) -> Vec<i64> {
        let mut out = Vec::new();
        if self.get(id).is_none() {
            return out;
        }
        out.push(id);
        let mut i = 0;
        while i < out.len() && out.len() <= self.all.len() {
            if let Some(kids) = self.children.get(&out[i]) {
                for &k in kids {
                    let kid = self.all[k].id;
                    if !out.contains(&kid) {
                        out.push(kid);
                    }
                }
            }
            i += 1;
        }
        out.sort_unstable();
        out
    }
}

/// Trees recently read, newest last; a few, for tests that run several databases in one
/// process (their versions differ: each starts at random).
static CACHE: Mutex<Vec<Arc<OrgTree>>> = Mutex::new(Vec::new());
const KEEP: usize = 4;

/// The tree as of now: one small read of the version, the tree itself only when it
/// changed since this node last read it.
pub fn current(conn: &mut dyn Conn) -> Result<Arc<OrgTree>> {
    let version: i64 = conn.scalar("SELECT v FROM org_version WHERE id = 1", &[])?;
    at_version(conn, version)
}

/// The tree at `version`, read by the caller in one of its own statements (the case
/// page reads it with the case). Loads the tree when this node does not hold that
/// version; what it loads may then be newer, never older.
pub fn at_version(conn: &mut dyn Conn, version: i64) -> Result<Arc<OrgTree>> {
    if let Some(hit) = cached(version) {
        return Ok(hit);
    }
    let tree = Arc::new(load(conn)?);
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    cache.retain(|t| t.version != tree.version);
    if cache.len() >= KEEP {
        cache.remove(0);
    }
    cache.push(tree.clone());
    Ok(tree)
}

fn cached(version: i64) -> Option<Arc<OrgTree>> {
    let cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    cache.iter().rev().find(|t| t.version == version).cloned()
}

/// The rows and the version they belong to, from one statement (one snapshot).
fn load(conn: &mut dyn Conn) -> Result<OrgTree> {
    let rows = conn.query(
        &format!("SELECT {COLUMNS}, (SELECT v FROM org_version WHERE id = 1) FROM organisations ORDER BY id"),
        &[],
    )?;
    let version = match rows.first() {
        Some(r) => r.get(10)?,
        // No organisation yet: nothing worth keeping, but a valid (empty) tree.
        None => conn.scalar("SELECT v FROM org_version WHERE id = 1", &[])?,
    };
    let all = rows
        .iter()
        .map(Organisation::from_row)
        .collect::<Result<Vec<_>>>()?;
    Ok(OrgTree::new(version, all))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::{BodyType, OrgRole};

    fn org(id: i64, parent: Option<i64>) -> Organisation {
        Organisation {
            id,
            parent_id: parent,
            code: format!("O{id}"),
            name: format!("Org {id}"),
            body_type: BodyType::State,
            role: OrgRole::Unit,
            locality_id: None,
            valid_from: "2020-01-01".into(),
            valid_to: None,
            successor_id: None,
        }
    }

    #[test]
    fn below_is_what_is_ancestor_says() {
        let all = vec![
            org(1, None),
            org(2, Some(1)),
            org(3, Some(2)),
            org(4, None),
            org(5, Some(4)),
            org(6, Some(3)),
        ];
        let tree = OrgTree::new(7, all.clone());
        for top in 0..8 {
            let expected: Vec<i64> = all
                .iter()
                .filter(|o| crate::org::is_ancestor(&all, top, o.id))
                .map(|o| o.id)
                .collect();
            assert_eq!(tree.below(top), expected, "below {top}");
        }
        assert_eq!(tree.name(3), Some("Org 3"));
        assert_eq!(tree.name(9), None);
    }
}
