//! One search as the page and the API both run it: who may see what, the index, then
//! each result dressed with its names and snippets.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::case::kinds;
use crate::case::model::CaseActor;
use crate::db::{Db, DbError};
use crate::i18n::Msg;

use super::snippet::{self, Snippet};
use super::{Filters, Found, Index, Parsed, Scope, SearchError, Source, Tier, parse};

/// A result ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct Shown {
    pub source: Source,
    pub case_number: String,
    /// Where it opens.
    pub href: String,
    /// The case's title or the file's name, words found marked.
    pub label: Snippet,
    /// Around the words found in the rest of the text, when they occur there.
    pub snippet: Option<Snippet>,
    pub kind: String,
    pub kind_label: Msg,
    pub state: String,
    pub state_label: Msg,
    pub agency_id: i64,
    pub agency: String,
    pub at: i64,
    pub tier: Tier,
}

/// A facet value with its name and count.
#[derive(Debug, Clone, Serialize)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FacetView {
    pub kind: Vec<FacetValue>,
    pub state: Vec<FacetValue>,
    pub field: Vec<FacetValue>,
    pub agency: Vec<FacetValue>,
    pub year: Vec<FacetValue>,
}

/// What a search came to.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub parsed: Parsed,
    pub total: usize,
    pub capped: bool,
    pub hits: Vec<Shown>,
    pub facets: FacetView,
    /// The node is building its index for the first time: results may be missing.
    pub building: bool,
    pub page: usize,
}

impl Outcome {
    pub fn pages(&self) -> usize {
        self.total
            .div_ceil(super::PER_PAGE)
            .clamp(1, super::MAX_PAGE)
    }
}

/// Searches `index` for `text` as `actor`.
pub async fn run(
    db: &Db,
    index: &Arc<Index>,
    actor: CaseActor,
    text: &str,
    filters: Filters,
    page: usize,
) -> Result<Outcome, SearchError> {
    let parsed = parse(text);
    let page = page.clamp(1, super::MAX_PAGE);
    let building = index.is_building();
    if parsed.is_empty() {
        return Ok(Outcome {
            parsed,
            building,
            page,
            ..Outcome::default()
        });
    }
    let (orgs, fields) = db
        .read(|c| -> Result<_, DbError> {
            let orgs = crate::org::tree::current(c).map_err(|e| DbError::Other(e.to_string()))?;
            let fields =
                crate::refdata::fields(c, true).map_err(|e| DbError::Other(e.to_string()))?;
            Ok((orgs, fields))
        })
        .await?;
    let scope = Scope::of(&actor, &orgs);
    let index = index.clone();
    let for_index = parsed.clone();
    let found: Found =
        tokio::task::spawn_blocking(move || index.search(&for_index, &scope, &filters, page))
            .await
            .map_err(|_| SearchError::NotReady)??;
    let org_names: HashMap<i64, &str> = orgs.iter().map(|o| (o.id, o.name.as_str())).collect();
    let field_names: HashMap<i64, &str> = fields.iter().map(|f| (f.id, f.name.as_str())).collect();
    let terms = parsed.snippet_terms();
    let hits = found
        .hits
        .iter()
        .map(|h| {
            let workflow = kinds::find(&h.kind);
            let href = match h.source {
                Source::Case => format!("/cases/{}", h.case_number),
                Source::Attachment => format!("/attachments/{}", h.ref_id),
            };
            Shown {
                source: h.source,
                case_number: h.case_number.clone(),
                href,
                label: snippet::whole(&h.label, &terms),
                snippet: snippet::around(&h.body, &terms),
                kind: h.kind.clone(),
                kind_label: workflow.map_or("Hồ sơ", |w| w.label),
                state: h.state.clone(),
                state_label: workflow
                    .and_then(|w| w.state(&h.state))
                    .map_or("", |s| s.label),
                agency_id: h.agency_id,
                agency: org_names
                    .get(&h.agency_id)
                    .copied()
                    .unwrap_or("")
                    .to_owned(),
                at: h.at,
                tier: h.tier,
            }
        })
        .collect();
    let f = &found.facets;
    let named = |v: String, label: String, count: usize| FacetValue {
        value: v,
        label,
        count,
    };
    let facets = FacetView {
        kind: f
            .kind
            .iter()
            .map(|(k, n)| {
                let label = kinds::find(k).map_or(k.as_str(), |w| w.label);
                named(k.clone(), label.to_owned(), *n)
            })
            .collect(),
        state: f
            .state
            .iter()
            .map(|(s, n)| {
                let label = kinds::ALL
                    .iter()
                    .find_map(|w| w.state(s))
                    .map_or(s.as_str(), |st| st.label);
                named(s.clone(), label.to_owned(), *n)
            })
            .collect(),
        field: f
            .field
            .iter()
            .map(|(id, n)| {
                let label = field_names.get(id).copied().unwrap_or("");
                named(id.to_string(), label.to_owned(), *n)
            })
            .collect(),
        agency: f
            .agency
            .iter()
            .map(|(id, n)| {
                let label = org_names.get(id).copied().unwrap_or("");
                named(id.to_string(), label.to_owned(), *n)
            })
            .collect(),
        year: f
            .year
            .iter()
            .map(|(y, n)| named(y.to_string(), y.to_string(), *n))
            .collect(),
    };
    Ok(Outcome {
        parsed,
        total: found.total,
        capped: found.capped,
        hits,
        facets,
        building,
        page,
    })
}
