//! `GET /api/v1/search?q=…`: the search page's results as JSON, with the same filters
//! (`kind`, `state`, `field_id`, `agency_id`, `year`) and `page`.

use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use serde_json::{Value, json};

use crate::case::api::{ApiActor, ApiError};
use crate::case::model::CaseActor;
use crate::clock;
use crate::web::App;

use super::pages::{Params, problem_message};
use super::run::run;
use super::{PER_PAGE, SearchError, StoreError};

pub fn routes() -> Router<App> {
    Router::new().route("/api/v1/search", get(search))
}

pub async fn search(
    State(app): State<App>,
    ApiActor(actor): ApiActor,
    Query(params): Query<Params>,
) -> Result<Json<Value>, ApiError> {
    let actor = CaseActor::from(&actor);
    let outcome = run(&app, actor, params.query(), params.filters(), params.page())
        .await
        .map_err(|e| {
            let (status, code) = match &e {
                SearchError::NotReady => (StatusCode::SERVICE_UNAVAILABLE, "index_not_ready"),
                SearchError::Store(StoreError::TooBroad) => {
                    (StatusCode::UNPROCESSABLE_ENTITY, "query_too_broad")
                }
                _ => {
                    tracing::error!(error = %e, "search API");
                    (StatusCode::INTERNAL_SERVER_ERROR, "internal")
                }
            };
            ApiError::new(status, code, problem_message(&e))
        })?;
    if outcome.parsed.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty_query",
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
