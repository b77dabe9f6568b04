//! The facets of every indexed document, kept in memory beside the `facets` table: a
//! search counts the facets of up to a thousand matches, and a lookup here costs a few
//! nanoseconds where a B-tree lookup in the file costs a microsecond (a quarter of an
//! agency's search went there). About 30 bytes a document.
//!
//! The table is the record (read back when the index is opened); the map follows each
//! write just after it commits. A search running in that instant may meet a document the
//! map does not know yet, or no longer: it is counted without its facets.

use std::collections::HashMap;

use rusqlite::Connection;

use super::StoreError;
use crate::search::{Doc, Facets};

type Fast = foldhash::fast::RandomState;

/// One document's facets, its kind and state as numbers into [`FacetMap::codes`].
#[derive(Debug, Clone, Copy)]
struct Row {
    kind: u16,
    state: u16,
    year: i32,
    agency: i64,
    field: Option<i64>,
}

#[derive(Default)]
pub struct FacetMap {
    rows: HashMap<i64, Row, Fast>,
    codes: Vec<Box<str>>,
    numbers: HashMap<Box<str>, u16, Fast>,
}

impl FacetMap {
    /// Everything in the `facets` table of `conn`.
    pub fn load(conn: &Connection) -> Result<FacetMap, StoreError> {
        let mut map = FacetMap::default();
        let mut stmt =
            conn.prepare("SELECT id, kind, state, field_id, agency_id, year FROM facets")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let kind = map.number(r.get_ref(1)?.as_str().unwrap_or(""));
            let state = map.number(r.get_ref(2)?.as_str().unwrap_or(""));
            map.rows.insert(
                r.get(0)?,
                Row {
                    kind,
                    state,
                    field: r.get(3)?,
                    agency: r.get(4)?,
                    year: r.get(5)?,
                },
            );
        }
        Ok(map)
    }

    fn number(&mut self, code: &str) -> u16 {
        if let Some(&n) = self.numbers.get(code) {
            return n;
        }
        // Kinds and states are a few dozen codes; were there 65,536, the rest would
        // count under the first.
        let Ok(n) = u16::try_from(self.codes.len()) else {
            return 0;
        };
        self.codes.push(code.into());
        self.numbers.insert(code.into(), n);
        n
    }

    pub fn insert(&mut self, id: i64, doc: &Doc) {
        let row = Row {
            kind: self.number(&doc.kind),
            state: self.number(&doc.state),
            year: doc.year,
            agency: doc.agency_id,
            field: doc.field_id,
        };
        self.rows.insert(id, row);
    }

    pub fn remove(&mut self, id: i64) {
        self.rows.remove(&id);
    }

    /// Adds the facets of document `id` to `out` (none when it is not known).
    pub fn count(&self, id: i64, out: &mut Facets) {
        let Some(row) = self.rows.get(&id) else {
            return;
        };
        let code = |n: u16| self.codes.get(usize::from(n)).map_or("", |c| c);
        out.add_kind(code(row.kind));
        out.add_state(code(row.state));
        if let Some(f) = row.field {
            out.add_field(f);
        }
        out.add_agency(row.agency);
        out.add_year(row.year);
    }
}
