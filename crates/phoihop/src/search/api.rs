//! `GET /api/v1/search?q=…`: the search page's results as JSON, with the same filters
//! (`kind`, `state`, `field_id`, `agency_id`, `year`) and `page`.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde_json::{Value, json};

use crate::case::model::CaseActor;
use crate::clock;
use crate::kit::{ApiActor, ApiError, App, ErrorCode, MAX_ID, QueryParams};

use super::pages::{Params, problem_message};
use super::run::run;
use super::{Index, MAX_PAGE, PER_PAGE, SearchError, StoreError, YEARS};

/// The search's parameters, each checked against its documented type and range.
fn params(query: Option<&str>) -> Result<Params, ApiError> {
    let q = QueryParams::parse(query)?;
    let kinds: Vec<&str> = crate::case::kinds::ALL.iter().map(|w| w.kind).collect();
    let max_id = MAX_ID;
    let number = |n: Option<i64>| n.map(|n| n.to_string());
    Ok(Params {
        q: q.text("q"),
        kind: q.one_of("kind", &kinds)?,
        state: q.one_of("state", &crate::case::all_states())?,
        field_id: number(q.integer("field_id", 1, max_id)?),
        agency_id: number(q.integer("agency_id", 1, max_id)?),
        year: number(q.integer("year", YEARS.0, YEARS.1)?),
        page: number(q.integer("page", 1, MAX_PAGE as i64)?),
    })
}

/// The search API, over this node's `index`.
pub fn routes(index: Arc<Index>) -> Router<App> {
    Router::new()
        .route("/api/v1/search", get(search))
        .layer(Extension(index))
}

pub async fn search(
    State(app): State<App>,
    Extension(index): Extension<Arc<Index>>,
    ApiActor(actor): ApiActor,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let params = params(query.as_deref())?;
    let actor = CaseActor::from(&actor);
    let outcome = run(
        &app.db,
        &index,
        actor,
        params.query(),
        params.filters(),
        params.page(),
    )
    .await
    .map_err(|e| {
        let (status, code) = match &e {
            SearchError::NotReady => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::IndexNotReady),
            SearchError::Store(StoreError::TooBroad) => {
                (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::QueryTooBroad)
            }
            SearchError::Db(crate::db::DbError::Unavailable(detail)) => {
                tracing::error!(error = %detail, "search API: database unavailable");
                (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Unavailable)
            }
            _ => {
                tracing::error!(error = %e, "search API");
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
            }
        };
        ApiError::new(status, code, problem_message(&e))
    })?;
    if outcome.parsed.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::EmptyQuery,
            "Câu tìm kiếm không có chữ hay số nào để tìm (tham số q).",
        ));
    }
    let results: Vec<Value> = outcome
        .hits
        .iter()
        .map(|h| {
            json!({
                "source": h.source,
                "case_number": h.case_number,
                "href": h.href,
                "title": h.label.plain(),
                "title_html": h.label.html(),
                "snippet": h.snippet.as_ref().map(|s| s.plain()),
                "snippet_html": h.snippet.as_ref().map(|s| s.html()),
                "kind": h.kind,
                "kind_label": h.kind_label,
                "state": h.state,
                "state_label": h.state_label,
                "agency_id": h.agency_id,
                "agency": h.agency,
                "at": h.at,
                "date": clock::format_date_ms(h.at),
                "match": h.tier,
            })
        })
        .collect();
    Ok(Json(json!({
        "query": params.query(),
        "total": outcome.total,
        "total_is_lower_bound": outcome.capped,
        "page": outcome.page,
        "per_page": PER_PAGE,
        "pages": outcome.pages(),
        "shortened": outcome.parsed.shortened,
        "index_building": outcome.building,
        "results": results,
        "facets": outcome.facets,
    })))
}
