//! The facets of every indexed document, kept in memory beside the `facets` table: a
//! search counts the facets of up to a thousand matches, and a lookup here costs a few
//! nanoseconds where a B-tree lookup in the file costs a microsecond (a quarter of an
//! agency's search went there). Sixteen bytes a document, in a deque indexed by the
//! document's id: ids are dense (a rebuild numbers documents upwards from 1, and each
//! change after it takes the id below the lowest), so a lookup is an index, not a hash,
//! and a million documents hold 16 MB (a hash map of the same held 86 MB: buckets to
//! the next power of two, with 8-byte keys and padding).
//!
//! The table is the record (read back when the index is opened); the map follows each
//! write just after it commits. A search running in that instant may meet a document the
//! map does not know yet, or no longer: it is counted without its facets.

use std::collections::{HashMap, VecDeque};

use rusqlite::Connection;

use super::StoreError;
use crate::search::{Doc, Facets};

type Fast = foldhash::fast::RandomState;

/// One document's facets, its kind and state as numbers into [`FacetMap::codes`];
/// `kind == EMPTY` for an id with no document.
#[derive(Debug, Clone, Copy)]
struct Row {
    kind: u16,
    state: u16,
    year: i16,
    /// Organisation and field ids; 0 for "no field" (ids start at 1).
    agency: u32,
    field: u32,
}

const EMPTY: u16 = u16::MAX;
const NONE: Row = Row {
    kind: EMPTY,
    state: 0,
    year: 0,
    agency: 0,
    field: 0,
};

#[derive(Default)]
pub struct FacetMap {
    /// `rows[i]` is document `base + i`.
    rows: VecDeque<Row>,
    base: i64,
    codes: Vec<Box<str>>,
    numbers: HashMap<Box<str>, u16, Fast>,
}

/// A row whose ids fit; ids beyond 32 bits (no installation has four billion
/// organisations or fields) are counted without that facet.
fn row(kind: u16, state: u16, year: i32, agency: i64, field: Option<i64>) -> Row {
    Row {
        kind,
        state,
        year: i16::try_from(year).unwrap_or(0),
        agency: u32::try_from(agency).unwrap_or(0),
        field: field.and_then(|f| u32::try_from(f).ok()).unwrap_or(0),
    }
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
            let facets = row(kind, state, r.get(5)?, r.get(4)?, r.get(3)?);
            map.put(r.get(0)?, facets);
        }
        Ok(map)
    }

    fn number(&mut self, code: &str) -> u16 {
        if let Some(&n) = self.numbers.get(code) {
            return n;
        }
        // Kinds and states are a few dozen codes; were there 65,535, the rest would
        // count under the first.
        let n = match u16::try_from(self.codes.len()) {
            Ok(n) if n != EMPTY => n,
            _ => return 0,
        };
        self.codes.push(code.into());
        self.numbers.insert(code.into(), n);
        n
    }

    pub fn insert(&mut self, id: i64, doc: &Doc) {
        let kind = self.number(&doc.kind);
        let state = self.number(&doc.state);
        self.put(id, row(kind, state, doc.year, doc.agency_id, doc.field_id));
    }

    pub fn remove(&mut self, id: i64) {
        if let Some(slot) = self.slot(id) {
            self.rows[slot] = NONE;
        }
    }

    fn slot(&self, id: i64) -> Option<usize> {
        let slot = usize::try_from(id.checked_sub(self.base)?).ok()?;
        (slot < self.rows.len()).then_some(slot)
    }

    /// Sets document `id`'s row, growing the deque at whichever end `id` lies beyond.
    fn put(&mut self, id: i64, row: Row) {
        if self.rows.is_empty() {
            self.base = id;
        }
        while id < self.base {
            self.rows.push_front(NONE);
            self.base -= 1;
        }
        let Ok(slot) = usize::try_from(id - self.base) else {
            return;
        };
        if slot >= self.rows.len() {
            self.rows.resize(slot + 1, NONE);
        }
        self.rows[slot] = row;
    }

    /// Adds the facets of document `id` to `out` (none when it is not known).
    pub fn count(&self, id: i64, out: &mut Facets) {
        let Some(row) = self.slot(id).map(|slot| self.rows[slot]) else {
            return;
        };
        if row.kind == EMPTY {
            return;
        }
        let code = |n: u16| self.codes.get(usize::from(n)).map_or("", |c| c);
        out.add_kind(code(row.kind));
        out.add_state(code(row.state));
        if row.field != 0 {
            out.add_field(row.field.into());
        }
        out.add_agency(row.agency.into());
        out.add_year(row.year.into());
    }
}
