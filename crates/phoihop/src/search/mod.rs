//! Search: everything a person may open, found however it was typed or encoded.
//!
//! Each node keeps its own index (`store/`, an SQLite FTS5 file beside the data;
//! `store/read.rs` searches it), fed by the `outbox` table that every change writes
//! in its own transaction (`outbox.rs`); the indexer (`indexer.rs`) applies new rows
//! within a second with this node's cursor, and rebuilds from scratch when asked
//! (`phoihop reindex`) while the old index keeps answering. Text goes through
//! `vntext` once, the same way for documents and queries (`analyze.rs`, `query.rs`);
//! what the searcher may see is part of the query, not a filter afterwards, so counts
//! and facets never leak.

pub mod analyze;
pub mod api;
pub mod indexer;
pub mod outbox;
pub mod pages;
pub mod query;
pub mod rank;
#[cfg(test)]
mod relevance_tests;
pub mod run;
pub mod snippet;
pub mod source;
pub mod store;
#[cfg(test)]
mod store_tests;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use serde::Serialize;

use crate::case::model::CaseActor;
use crate::org::Organisation;

pub use indexer::build_generation;
pub use query::{Parsed, Tier, parse};
pub use store::{COUNT_CAP, MAX_PAGE, PER_PAGE, Store, StoreError, restriction};

/// The years a search may be restricted to.
pub const YEARS: (i64, i64) = (1900, 2199);

/// Where a document comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Case,
    Attachment,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Case => "case",
            Source::Attachment => "attachment",
        }
    }

    fn from_code(code: &str) -> Source {
        match code {
            "attachment" => Source::Attachment,
            _ => Source::Case,
        }
    }
}

/// One searchable thing, as the index receives it.
#[derive(Debug, Clone)]
pub struct Doc {
    pub source: Source,
    /// The row it comes from (`cases.id`, `attachments.id`).
    pub ref_id: i64,
    pub case_id: i64,
    pub case_number: String,
    /// What a result is called: a case's title, a file's name.
    pub label: String,
    /// The rest of its text: a case's body and every note on its timeline; a file's text.
    pub body: String,
    pub at: i64,
    /// Organisations whose people may open it (besides the lead body's staff).
    pub orgs: Vec<i64>,
    pub kind: String,
    pub state: String,
    pub field_id: Option<i64>,
    pub agency_id: i64,
    pub year: i32,
}

impl Doc {
    fn acl_tokens(&self) -> String {
        let tokens: Vec<String> = self.orgs.iter().map(|o| acl_token(*o)).collect();
        tokens.join(" ")
    }

    fn tags(&self) -> String {
        let mut tags = vec![
            format!("k_{}", tag_safe(&self.kind)),
            format!("s_{}", tag_safe(&self.state)),
            format!("a_{}", self.agency_id),
            format!("y_{}", self.year),
        ];
        if let Some(f) = self.field_id {
            tags.push(format!("f_{f}"));
        }
        tags.join(" ")
    }
}

/// An organisation as an `acl` term (never a syllable: those hold no `_`).
pub fn acl_token(org: i64) -> String {
    format!("o_{org}")
}

/// Codes become index tokens: only ASCII letters, digits and `_` pass.
fn tag_safe(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// What a searcher may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The lead body's staff: every case.
    Everything,
    /// An agency's people: what these organisations own, are assigned or were sent.
    Organisations(Vec<i64>),
    Nothing,
}

impl Scope {
    pub fn of(actor: &CaseActor, all: &[Organisation]) -> Scope {
        if actor.is_lead_staff() {
            Scope::Everything
        } else if actor.is_agency_staff() {
            Scope::Organisations(crate::case::model::own_scope(actor, all))
        } else {
            Scope::Nothing
        }
    }
}

/// Facets chosen by the searcher.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct Filters {
    pub kind: Option<String>,
    pub state: Option<String>,
    pub field_id: Option<i64>,
    pub agency_id: Option<i64>,
    pub year: Option<i32>,
}

impl Filters {
    fn tags(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(k) = self.kind.as_deref().map(tag_safe).filter(|k| !k.is_empty()) {
            out.push(format!("k_{k}"));
        }
        if let Some(s) = self
            .state
            .as_deref()
            .map(tag_safe)
            .filter(|s| !s.is_empty())
        {
            out.push(format!("s_{s}"));
        }
        if let Some(f) = self.field_id {
            out.push(format!("f_{f}"));
        }
        if let Some(a) = self.agency_id {
            out.push(format!("a_{a}"));
        }
        if let Some(y) = self.year {
            out.push(format!("y_{y}"));
        }
        out
    }
}

/// A result, before it is dressed for a page or the API.
#[derive(Debug, Clone)]
pub struct Hit {
    pub doc_id: i64,
    pub source: Source,
    pub ref_id: i64,
    pub case_id: i64,
    pub case_number: String,
    pub label: String,
    pub body: String,
    pub at: i64,
    pub kind: String,
    pub state: String,
    pub field_id: Option<i64>,
    pub agency_id: i64,
    pub tier: Tier,
}

/// Counts by facet value, largest first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    pub kind: Vec<(String, usize)>,
    pub state: Vec<(String, usize)>,
    pub field: Vec<(i64, usize)>,
    pub agency: Vec<(i64, usize)>,
    pub year: Vec<(i32, usize)>,
}

fn bump<K: PartialEq>(list: &mut Vec<(K, usize)>, key: K) {
    match list.iter_mut().find(|(k, _)| *k == key) {
        Some((_, count)) => *count += 1,
        None => list.push((key, 1)),
    }
}

fn bump_str(list: &mut Vec<(String, usize)>, key: &str) {
    match list.iter_mut().find(|(k, _)| k == key) {
        Some((_, count)) => *count += 1,
        None => list.push((key.to_owned(), 1)),
    }
}

impl Facets {
    fn add_kind(&mut self, k: &str) {
        bump_str(&mut self.kind, k);
    }
    fn add_state(&mut self, s: &str) {
        bump_str(&mut self.state, s);
    }
    fn add_field(&mut self, f: i64) {
        bump(&mut self.field, f);
    }
    fn add_agency(&mut self, a: i64) {
        bump(&mut self.agency, a);
    }
    fn add_year(&mut self, y: i32) {
        bump(&mut self.year, y);
    }
    fn sort(&mut self) {
        self.kind.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        self.state.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        self.field.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        self.agency
            .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        self.year.sort_by_key(|y| std::cmp::Reverse(y.0));
    }
}

/// What a search found.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// Matches, counted up to [`COUNT_CAP`].
    pub total: usize,
    /// There are more than [`COUNT_CAP`]; facets count the newest of them.
    pub capped: bool,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

/// This node's index: the current file, swapped whole when a rebuild finishes.
pub struct Index {
    dir: PathBuf,
    current: RwLock<Option<Arc<Store>>>,
    /// A first build is under way: results may be incomplete.
    building: AtomicBool,
    builder: Option<indexer::Builder>,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the search index is not ready yet")]
    NotReady,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
}

impl Index {
    /// The index kept in `dir` (made when missing), rebuilt in this process.
    pub fn new(dir: &Path) -> Arc<Index> {
        Index::with_builder(dir, None)
    }

    /// The index the configuration names: kept in its search folder, rebuilt in a
    /// child process when it names the program that builds one.
    pub fn for_config(config: &crate::config::Config) -> Arc<Index> {
        Index::with_builder(
            &config.search_dir(),
            config
                .index_builder_program
                .as_ref()
                .map(|program| indexer::Builder {
                    program: program.clone(),
                    data_dir: config.data_dir.clone(),
                    database_url: config.database_url.clone(),
                }),
        )
    }

    /// The index kept in `dir`, rebuilt by `builder` in a child process when given.
    pub fn with_builder(dir: &Path, builder: Option<indexer::Builder>) -> Arc<Index> {
        Arc::new(Index {
            dir: dir.to_owned(),
            current: RwLock::new(None),
            building: AtomicBool::new(false),
            builder,
        })
    }

    fn builder(&self) -> Option<&indexer::Builder> {
        self.builder.as_ref()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn store(&self) -> Option<Arc<Store>> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn install(&self, store: Arc<Store>) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Some(store);
    }

    pub fn is_building(&self) -> bool {
        self.building.load(Ordering::Relaxed)
    }

    fn set_building(&self, on: bool) {
        self.building.store(on, Ordering::Relaxed);
    }

    /// Page `page` of what `text` finds for someone who sees `scope`.
    pub fn search(
        &self,
        parsed: &Parsed,
        scope: &Scope,
        filters: &Filters,
        page: usize,
    ) -> Result<Found, SearchError> {
        let store = self.store().ok_or(SearchError::NotReady)?;
        Ok(store.search(parsed, scope, filters, page)?)
    }
}
