//! The search page: a box that keeps what was typed, results with the words found
//! marked, facets to narrow by, pages.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use axum::{Extension, Router};
use serde::Deserialize;

use crate::case::model::CaseActor;
use crate::i18n::Msg;
use crate::kit::{App, AppError, Ctx, Page};

use super::run::{FacetValue, Outcome, run};
use super::{Filters, Index, SearchError, StoreError};

/// The search page, over this node's `index`.
pub fn routes(index: Arc<Index>) -> Router<App> {
    Router::new()
        .route("/search", get(show))
        .layer(Extension(index))
}

/// The query string as typed: every value text, read leniently (a wrong number is
/// ignored, not an error page).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Params {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub field_id: Option<String>,
    #[serde(default)]
    pub agency_id: Option<String>,
    #[serde(default)]
    pub year: Option<String>,
    #[serde(default)]
    pub page: Option<String>,
}

fn number<T: std::str::FromStr>(v: &Option<String>) -> Option<T> {
    v.as_deref().and_then(|s| s.trim().parse().ok())
}

fn text(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl Params {
    pub fn query(&self) -> &str {
        self.q.as_deref().unwrap_or("")
    }

    pub fn filters(&self) -> Filters {
        Filters {
            kind: text(&self.kind),
            state: text(&self.state),
            field_id: number(&self.field_id),
            agency_id: number(&self.agency_id),
            year: number(&self.year),
        }
    }

    pub fn page(&self) -> usize {
        number(&self.page).unwrap_or(1)
    }

    /// The page's address with `key` set to `value` (or removed), back to page 1.
    fn href_with(&self, key: &str, value: Option<&str>) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let mut keep = |k: &'static str, v: &Option<String>| {
            if k != key
                && let Some(v) = text(v)
            {
                pairs.push((k, v));
            }
        };
        keep("q", &self.q);
        keep("kind", &self.kind);
        keep("state", &self.state);
        keep("field_id", &self.field_id);
        keep("agency_id", &self.agency_id);
        keep("year", &self.year);
        if let Some(v) = value {
            pairs.push((key, v.to_owned()));
        }
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        format!("/search?{}", query.join("&"))
    }

    fn page_href(&self, page: usize) -> String {
        format!("{}&page={page}", self.href_with("page", None))
    }
}

/// 12345 → "12.345", as Vietnamese writes numbers.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Percent-encodes a query-string value.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One group of facet links.
struct FacetGroup {
    title: Msg,
    key: &'static str,
    chosen: Option<String>,
    values: Vec<FacetValue>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    page: Page,
    params: Params,
    outcome: Outcome,
    groups: Vec<FacetGroup>,
    problem: Option<Msg>,
}

impl SearchPage {
    fn facet_href(&self, key: &str, value: &str) -> String {
        self.params.href_with(key, Some(value))
    }

    fn clear_href(&self, key: &str) -> String {
        self.params.href_with(key, None)
    }

    fn page_href(&self, page: &usize) -> String {
        self.params.page_href(*page)
    }

    fn total_label(&self) -> String {
        let n = grouped(self.outcome.total);
        if self.outcome.capped {
            format!("{} {n}", self.page.tr("hơn"))
        } else {
            n
        }
    }
}

/// What a failed search tells the person.
pub fn problem_message(e: &SearchError) -> Msg {
    match e {
        SearchError::NotReady => "Chỉ mục tìm kiếm đang được chuẩn bị, xin thử lại sau ít phút.",
        SearchError::Store(StoreError::TooBroad) => {
            "Câu tìm kiếm quá rộng, cần quá nhiều thời gian. Hãy thêm từ hoặc đặt cụm từ trong ngoặc kép."
        }
        _ => "Không tìm kiếm được lúc này, xin thử lại sau.",
    }
}

pub async fn show(
    State(app): State<App>,
    Extension(index): Extension<Arc<Index>>,
    ctx: Ctx,
    Query(params): Query<Params>,
) -> Result<Html<String>, AppError> {
    let actor = CaseActor::from(ctx.actor()?);
    let filters = params.filters();
    let (outcome, problem) = match run(
        &app.db,
        &index,
        actor,
        params.query(),
        filters.clone(),
        params.page(),
    )
    .await
    {
        Ok(outcome) => (outcome, None),
        Err(e) => {
            if !matches!(
                e,
                SearchError::NotReady | SearchError::Store(StoreError::TooBroad)
            ) {
                tracing::error!(error = %e, "search");
            }
            (Outcome::default(), Some(problem_message(&e)))
        }
    };
    let f = &outcome.facets;
    let groups = vec![
        FacetGroup {
            title: "Loại",
            key: "kind",
            chosen: filters.kind.clone(),
            values: f.kind.clone(),
        },
        FacetGroup {
            title: "Trạng thái",
            key: "state",
            chosen: filters.state.clone(),
            values: f.state.clone(),
        },
        FacetGroup {
            title: "Lĩnh vực",
            key: "field_id",
            chosen: filters.field_id.map(|v| v.to_string()),
            values: f.field.clone(),
        },
        FacetGroup {
            title: "Cơ quan",
            key: "agency_id",
            chosen: filters.agency_id.map(|v| v.to_string()),
            values: f.agency.clone(),
        },
        FacetGroup {
            title: "Năm",
            key: "year",
            chosen: filters.year.map(|v| v.to_string()),
            values: f.year.clone(),
        },
    ];
    let page = Page::new(&app, &ctx, "Tìm kiếm");
    Ok(Html(
        SearchPage {
            page,
            params,
            outcome,
            groups,
            problem,
        }
        .render()?,
    ))
}
