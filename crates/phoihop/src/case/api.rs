//! The JSON API for cases (`/api/v1/cases`): list, read one with its timeline and the
//! actions the caller may take, open one, perform an action. Errors are JSON with a
//! stable code: `{"error": {"code": "stale_version", "message": "…", …}}`.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use crate::db::DbError;
use crate::kit::{
    self, ApiActor, ApiError, App, ErrorCode, MAX_ID, QueryParams, check, json_object,
};
use crate::org;

use super::api_input::NEW_CASE;
use super::engine::{self, ActionInput, At, NewCase};
use super::model::{self, Case, CaseActor};
use super::parties::Holder;
use super::{CaseError, fields, kinds, list};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/cases", get(list_cases).post(open_case))
        .route("/api/v1/cases/{number}", get(read_case))
        .route("/api/v1/cases/{number}/actions", post(perform))
        .route("/api/v1/openapi.json", get(openapi))
}

impl From<CaseError> for ApiError {
    fn from(e: CaseError) -> Self {
        let (code, message) = (e.code(), e.message());
        let answer = |status| ApiError::new(status, code, message);
        match e {
            // Answered as every database failure is, whichever domain met it.
            CaseError::Db(db) => db.into(),
            CaseError::NotFound => answer(StatusCode::NOT_FOUND),
            CaseError::Forbidden => answer(StatusCode::FORBIDDEN),
            CaseError::UnknownAction => answer(StatusCode::UNPROCESSABLE_ENTITY),
            CaseError::Invalid(fields) => {
                let map: Map<String, Value> = fields
                    .0
                    .iter()
                    .map(|(f, m)| ((*f).to_owned(), Value::from(*m)))
                    .collect();
                answer(StatusCode::UNPROCESSABLE_ENTITY).with("fields", Value::Object(map))
            }
            CaseError::WrongState { state } => {
                answer(StatusCode::CONFLICT).with("state", state.into())
            }
            CaseError::Stale { current } => answer(StatusCode::CONFLICT)
                .with("current_version", current.version.into())
                .with("current_state", current.state.clone().into()),
            CaseError::Refused(_) => answer(StatusCode::CONFLICT),
        }
    }
}

/// Working-day deadlines from the calendar as the administrator keeps it.
fn due_dates(
    conn: &mut dyn crate::db::Conn,
) -> Result<crate::calendar::WorkingDayCalendar, CaseError> {
    Ok(crate::calendar::load(conn)?)
}

pub async fn open_case(
    State(app): State<App>,
    ApiActor(actor): ApiActor,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let mut map = json_object(&headers, body)?;
    let kind = map.remove("kind");
    let workflow = kind
        .as_ref()
        .and_then(|k| k.as_str())
        .and_then(kinds::find)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::UnknownKind,
                "Không có loại hồ sơ này; các loại có trong /api/v1/openapi.json.",
            )
        })?;
    let mut errors = crate::error::FieldErrors::new();
    for (name, expect) in NEW_CASE {
        if let Some(value) = map.get(*name)
            && let Err(msg) = check(value, *expect)
        {
            errors.add(name, msg);
        }
    }
    fields::api::check_fields(&workflow.create, &map, &mut errors);
    if !errors.is_empty() {
        return Err(CaseError::Invalid(errors).into());
    }
    let text = |map: &mut Map<String, Value>, k: &str| {
        map.remove(k)
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    let id = |map: &mut Map<String, Value>, k: &str| map.remove(k).and_then(|v| kit::id(&v));
    let new = NewCase {
        title: text(&mut map, "title"),
        body: text(&mut map, "body"),
        program_id: id(&mut map, "program_id"),
        field_id: id(&mut map, "field_id"),
        locality_id: id(&mut map, "locality_id"),
        commitment_id: id(&mut map, "commitment_id"),
        owner_org_id: id(&mut map, "owner_org_id"),
        fields: map,
    };
    let case_actor = CaseActor::from(&actor);
    let case = app
        .db
        .write(move |c| {
            let calendar = due_dates(c)?;
            engine::create(
                c,
                &case_actor,
                workflow,
                &new,
                &At::now(&|d, n| calendar.add_working_days(d, n)),
            )
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/cases/{}", case.number))],
        Json(json!({ "number": case.number, "state": case.state, "version": case.version })),
    )
        .into_response())
}

/// A case as the API shows it: fields, the caller's allowed actions, the timeline.
fn describe(
    conn: &mut dyn crate::db::Conn,
    actor: &CaseActor,
    case: &Case,
) -> Result<Value, CaseError> {
    let workflow = kinds::find(&case.kind).ok_or(CaseError::NotFound)?;
    let all = org::tree::current(conn)?;
    let recipients = model::recipients(conn, case.id)?;
    let recipient_orgs: Vec<i64> = recipients.iter().map(|r| r.organisation_id).collect();
    let parties = model::parties(actor, case, &recipient_orgs, &all);
    if parties.is_empty() {
        return Err(CaseError::NotFound);
    }
    let actions: Vec<Value> = workflow
        .allowed(&case.state, &parties)
        .into_iter()
        .map(|t| {
            json!({
                "action": t.action,
                "label": t.label,
                "documents_required": t.documents,
                "fields": t.fields.iter().map(|f| json!({"name": f.name, "label": f.label, "type": f.kind.code(), "required": f.required})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let name = |id: i64| all.iter().find(|o| o.id == id).map(|o| o.name.clone());
    let timeline = model::events(conn, case.id)?;
    let (data, timeline) = fields::show::for_api(conn, workflow, &case.data, timeline, name)?;
    let clocks = conn.query(
        "SELECT clock, org_id, due_on, state FROM case_clocks WHERE case_id = $1 ORDER BY id",
        crate::params![case.id],
    )?;
    let clocks: Vec<Value> = clocks
        .iter()
        .map(|r| -> Result<Value, DbError> {
            Ok(json!({"clock": r.get::<String>(0)?, "organisation_id": r.get::<Option<i64>>(1)?, "due_on": r.get::<String>(2)?, "state": r.get::<String>(3)?}))
        })
        .collect::<Result<_, _>>()?;
    let facts = super::hooks::facts(conn, workflow, actor, case, &parties)?;
    let holders = super::parties::holders(conn, workflow, case, &recipients, &all)?;
    let mut shown = json!({
        "number": case.number,
        "kind": case.kind,
        "title": case.title,
        "body": case.body,
        "state": case.state,
        "state_label": workflow.state(&case.state).map(|s| s.label),
        "version": case.version,
        "program_id": case.program_id,
        "field_id": case.field_id,
        "locality_id": case.locality_id,
        "owner": {"id": case.owner_org_id, "name": name(case.owner_org_id)},
        "assignee": case.assignee_org_id.map(|id| json!({"id": id, "name": name(id)})),
        "parties": holders.iter().map(Holder::to_json).collect::<Vec<_>>(),
        "your_parties": parties
            .iter()
            .filter(|p| workflow.party_label(**p).is_some())
            .map(|p| p.code())
            .collect::<Vec<_>>(),
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
        "data": data,
        "allowed_actions": actions,
        "recipients": recipients,
        "clocks": clocks,
        "timeline": timeline,
    });
    if let Value::Object(shown) = &mut shown {
        for fact in facts {
            shown.insert(fact.key.into(), fact.value);
        }
    }
    Ok(shown)
}

pub async fn read_case(
    State(app): State<App>,
    ApiActor(actor): ApiActor,
    Path(number): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let case_actor = CaseActor::from(&actor);
    let body = app
        .db
        .read(move |c| {
            let case = model::by_number(c, &number)?.ok_or(CaseError::NotFound)?;
            describe(c, &case_actor, &case)
        })
        .await?;
    Ok(Json(body))
}

pub async fn perform(
    State(app): State<App>,
    ApiActor(actor): ApiActor,
    Path(number): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let mut map = json_object(&headers, body)?;
    let action = map.remove("action");
    let Some(action) = action.as_ref().and_then(|a| a.as_str()).map(str::to_owned) else {
        return Err(CaseError::UnknownAction.into());
    };
    let version = map.remove("version").as_ref().and_then(kit::id);
    let Some(version) = version else {
        return Err(ApiError::from(CaseError::Invalid(
            crate::error::FieldErrors(vec![(
                "version",
                "Cần số phiên bản (version) của hồ sơ đã xem: một số nguyên từ 1.",
            )]),
        )));
    };
    // The types of the action's fields as the case's kind (told by its number)
    // declares them; the engine then checks the rest.
    let mut errors = crate::error::FieldErrors::new();
    if let Some(t) = kinds::for_number(&number).and_then(|w| w.transition(&action)) {
        fields::api::check_fields(t, &map, &mut errors);
    }
    if !errors.is_empty() {
        return Err(CaseError::Invalid(errors).into());
    }
    let input = ActionInput {
        version,
        fields: map,
    };
    let case_actor = CaseActor::from(&actor);
    let body = app
        .db
        .write(move |c| {
            let calendar = due_dates(c)?;
            let due = |d, n| calendar.add_working_days(d, n);
            let at = At::now(&due);
            let case = engine::perform(c, &case_actor, &number, &action, &input, &at)?;
            describe(c, &case_actor, &case)
        })
        .await?;
    Ok(Json(body))
}

/// The OpenAPI document, public so that integrators can read it before holding a token.
pub async fn openapi() -> Json<Value> {
    Json(super::openapi::document())
}

pub async fn list_cases(
    State(app): State<App>,
    ApiActor(actor): ApiActor,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let filter = list_filter(&QueryParams::parse(query.as_deref())?)?;
    let limit = filter.limit.unwrap_or(list::PAGE);
    let case_actor = CaseActor::from(&actor);
    let cases = app
        .db
        .read(move |c| list::visible(c, &case_actor, &filter).map_err(CaseError::from))
        .await?;
    let next = (cases.len() as i64 == limit)
        .then(|| cases.last().map(|c| c.id))
        .flatten();
    Ok(Json(json!({ "cases": cases, "next_before": next })))
}

/// The list's filters, each checked against its documented type and range.
fn list_filter(q: &QueryParams) -> Result<list::Filter, ApiError> {
    let kinds: Vec<&str> = kinds::ALL.iter().map(|w| w.kind).collect();
    let states = super::all_states();
    Ok(list::Filter {
        kind: q.one_of("kind", &kinds)?,
        state: q.one_of("state", &states)?,
        field_id: q.integer("field_id", 1, MAX_ID)?,
        locality_id: q.integer("locality_id", 1, MAX_ID)?,
        owner_org_id: q.integer("owner_org_id", 1, MAX_ID)?,
        overdue: q.flag("overdue")?,
        from: q.date("from")?,
        to: q.date("to")?,
        before: q.integer("before", 1, MAX_ID)?,
        limit: q.integer("limit", 1, list::MAX_LIMIT)?,
    })
}
