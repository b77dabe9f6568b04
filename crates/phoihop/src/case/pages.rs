//! Pages for cases: the list with its filters, opening a case, the case page with its
//! timeline and the forms of the actions allowed now, and taking an action (with the
//! conflict page when someone else changed the case first, keeping what was typed).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value};

use crate::access::policy::Action;
use crate::clock;
use crate::error::FieldErrors;
use crate::kit::{App, AppError, Ctx, Form, Page};
use crate::org;
use crate::refdata::{self, Field, Locality};

use super::engine::{self, ActionInput, At, NewCase};
use super::model::CaseActor;
use super::view::{self, CaseView};
use super::workflow::{FieldKind, Workflow};
use super::{CaseError, kinds, list};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/cases", get(list_page))
        .route("/cases/new", get(new_form).post(create))
        .route("/cases/{number}", get(show))
        .route("/cases/{number}/actions", post(act))
}

/// The person opening a case or acting on one: which cases is the engine's parties'
/// affair (404 for the rest), so a collaborator comes through to their own reports.
pub(crate) fn case_actor(ctx: &Ctx) -> Result<CaseActor, AppError> {
    Ok(CaseActor::from(ctx.require(Action::OpenCases)?))
}

/// The person working on their organisation's cases: lists and new cases.
fn case_worker(ctx: &Ctx) -> Result<CaseActor, AppError> {
    Ok(CaseActor::from(ctx.require(Action::WorkOnCases)?))
}

impl From<CaseError> for AppError {
    fn from(e: CaseError) -> Self {
        match e {
            CaseError::NotFound => AppError::NotFound,
            CaseError::Forbidden => AppError::Forbidden,
            CaseError::Db(db) => db.into(),
            other => AppError::Refused(other.message()),
        }
    }
}

/// Renders into a buffer of about the page's size: askama's own estimate is the
/// template's fixed text, so a page of rows grows its buffer (and copies it) many times.
trait RenderSized: Template {
    fn render_sized(&self, bytes: usize) -> askama::Result<String> {
        let mut out = String::with_capacity(bytes);
        self.render_into(&mut out)?;
        Ok(out)
    }
}

impl<T: Template> RenderSized for T {}

/// One line of the list.
pub struct Line {
    pub case: list::Listed,
    pub kind_label: &'static str,
    pub state_label: &'static str,
    pub owner: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "cases.html")]
struct ListPage {
    page: Page,
    lines: Vec<Line>,
    filter: list::Filter,
    kinds: Vec<&'static Workflow>,
    states: Vec<(&'static str, &'static str)>,
    fields: std::sync::Arc<Vec<Field>>,
    next_href: Option<String>,
    export_href: String,
}

impl ListPage {
    fn field_selected(&self, id: &i64) -> bool {
        self.filter.field_id == Some(*id)
    }
}

pub async fn list_page(
    State(app): State<App>,
    ctx: Ctx,
    Query(filter): Query<list::Filter>,
) -> Result<Html<String>, AppError> {
    let actor = case_worker(&ctx)?;
    let query = filter.clone();
    let bounded = list::is_bounded(&actor, &filter);
    let read = move |c: &mut dyn crate::db::Conn| -> Result<_, CaseError> {
        // An agency person's scope needs the tree before the query; the lead body's
        // list reads its version with the lines.
        let held = match actor.is_lead_staff() {
            true => None,
            false => Some(org::tree::current(c)?),
        };
        let (found, version) = list::lines(c, &actor, &query, held.as_deref())?;
        let tree = match (held, version) {
            (Some(tree), _) => tree,
            (None, Some(v)) => org::tree::at_version(c, v)?,
            (None, None) => org::tree::current(c)?,
        };
        let lines = found
            .into_iter()
            .map(|case| {
                let workflow = kinds::find(&case.kind);
                Line {
                    kind_label: workflow.map_or("", |w| w.label),
                    state_label: workflow
                        .and_then(|w| w.state(&case.state))
                        .map_or("", |s| s.label),
                    owner: tree.name(case.owner_org_id).unwrap_or_default().to_owned(),
                    overdue: case.overdue,
                    case,
                }
            })
            .collect::<Vec<_>>();
        Ok((lines, refdata::active_fields(c, tree.version())?))
    };
    // A page found by walking one index runs on this thread (bench/RESULTS.md: the hop
    // to the blocking pool costs more than such a read); one that may scan does not.
    let (lines, fields) = if bounded {
        app.db.read_quick(read).await?
    } else {
        app.db.read(read).await?
    };
    let export_href = filter
        .query_string()
        .replacen("/cases?", "/cases/export.xlsx?", 1);
    let next_href = (lines.len() as i64 == list::PAGE).then(|| {
        let last = lines.last().map_or(0, |l| l.case.id);
        format!("{}&before={last}", filter.query_string())
    });
    let states = match filter.kind.as_deref().and_then(kinds::find) {
        Some(w) => w.states.iter().map(|s| (s.code, s.label)).collect(),
        None => Vec::new(),
    };
    let page = Page::new(&app, &ctx, "Hồ sơ");
    Ok(Html(
        ListPage {
            page,
            lines,
            filter,
            kinds: kinds::ALL.to_vec(),
            states,
            fields,
            next_href,
            export_href,
        }
        .render_sized(32 * 1024)?,
    ))
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct NewCaseForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    field_id: String,
    #[serde(default)]
    locality_id: String,
    #[serde(default)]
    owner_org_id: String,
    /// Incident numbers an orientation answers, separated by commas or spaces.
    #[serde(default)]
    incidents: String,
}

#[derive(Template)]
#[template(path = "case_new.html")]
struct NewPage {
    page: Page,
    workflow: &'static Workflow,
    form: NewCaseForm,
    errors: FieldErrors,
    fields: Vec<Field>,
    localities: Vec<Locality>,
    agencies: Vec<(i64, String)>,
    lead_staff: bool,
}

async fn new_page(
    app: &App,
    ctx: &Ctx,
    form: NewCaseForm,
    errors: FieldErrors,
) -> Result<String, AppError> {
    let actor = case_worker(ctx)?;
    let workflow = kinds::find(&form.kind).ok_or(AppError::NotFound)?;
    let (fields, localities, agencies) = app
        .db
        .read(|c| -> crate::error::Result<_> {
            let all = org::list_all(c)?;
            let agencies = org::tree(&all, false)
                .into_iter()
                .filter(|(_, o)| matches!(o.role, org::OrgRole::Partner | org::OrgRole::Unit))
                .map(|(depth, o)| (o.id, format!("{}{}", "— ".repeat(depth), o.name)))
                .collect();
            Ok((
                refdata::fields(c, false)?,
                refdata::localities(c, false)?,
                agencies,
            ))
        })
        .await?;
    let page = Page::new(app, ctx, workflow.create.label);
    Ok(NewPage {
        page,
        workflow,
        form,
        errors,
        fields,
        localities,
        agencies,
        lead_staff: actor.is_lead_staff(),
    }
    .render()?)
}

#[derive(serde::Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    kind: String,
}

pub async fn new_form(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<NewQuery>,
) -> Result<Html<String>, AppError> {
    let form = NewCaseForm {
        kind: q.kind,
        ..Default::default()
    };
    Ok(Html(new_page(&app, &ctx, form, FieldErrors::new()).await?))
}

fn optional_id(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

pub async fn create(
    State(app): State<App>,
    ctx: Ctx,
    Form(form): Form<NewCaseForm>,
) -> Result<Response, AppError> {
    let actor = case_worker(&ctx)?;
    let workflow = kinds::find(&form.kind).ok_or(AppError::NotFound)?;
    let mut fields = Map::new();
    if workflow.create.fields.iter().any(|f| f.name == "incidents")
        && !form.incidents.trim().is_empty()
    {
        fields.insert("incidents".into(), Value::String(form.incidents.clone()));
    }
    let new = NewCase {
        title: form.title.clone(),
        body: form.body.clone(),
        program_id: None,
        field_id: optional_id(&form.field_id),
        locality_id: optional_id(&form.locality_id),
        commitment_id: None,
        owner_org_id: optional_id(&form.owner_org_id),
        fields,
    };
    let result = app
        .db
        .write(move |c| {
            let calendar = crate::calendar::load(c)?;
            let due = |d, n| calendar.add_working_days(d, n);
            engine::create(c, &actor, workflow, &new, &At::now(&due))
        })
        .await;
    match result {
        Ok(case) => Ok(Redirect::to(&format!("/cases/{}", case.number)).into_response()),
        Err(CaseError::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(new_page(&app, &ctx, form, errors).await?),
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    page: Page,
    view: CaseView,
    /// The action whose form was sent, with what was typed and what was wrong.
    sent: Option<SentAction>,
    /// Why the sent action did not happen (a conflict, a refusal).
    problem: Option<&'static str>,
    /// Events newer than this id happened since the person loaded the page.
    seen_event: i64,
}

pub struct SentAction {
    pub action: String,
    pub values: Map<String, Value>,
    pub errors: FieldErrors,
}

impl CasePage {
    fn value(&self, action: &str, field: &str) -> String {
        self.sent
            .as_ref()
            .filter(|s| s.action == action)
            .and_then(|s| s.values.get(field))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    }

    fn error(&self, action: &str, field: &str) -> Option<&'static str> {
        self.sent
            .as_ref()
            .filter(|s| s.action == action)
            .and_then(|s| s.errors.get(field))
    }

    fn chosen(&self, action: &str, field: &str, id: &i64) -> bool {
        self.sent
            .as_ref()
            .filter(|s| s.action == action)
            .and_then(|s| s.values.get(field))
            .and_then(Value::as_array)
            .is_some_and(|ids| ids.iter().any(|v| v.as_str() == Some(&id.to_string())))
    }

    fn date(&self, ms: &i64) -> String {
        clock::format_datetime(*ms)
    }
}

/// The case page, with `problem` at its top when something sent from it was refused
/// (also used by the attachment upload).
pub(crate) async fn case_page(
    app: &App,
    ctx: &Ctx,
    number: String,
    sent: Option<SentAction>,
    problem: Option<&'static str>,
    seen_event: i64,
) -> Result<String, AppError> {
    let actor = case_actor(ctx)?;
    // Bounded index lookups: the case by number, its own events, clocks and links.
    let view = app
        .db
        .read_quick(move |c| view::load(c, &actor, &number))
        .await?;
    let page = Page::new(app, ctx, &view.case.title);
    let seen_event = if seen_event > 0 {
        seen_event
    } else {
        view.events.last().map_or(0, |e| e.event.id)
    };
    Ok(CasePage {
        page,
        view,
        sent,
        problem,
        seen_event,
    }
    .render_sized(12 * 1024)?)
}

pub async fn show(
    State(app): State<App>,
    ctx: Ctx,
    Path(number): Path<String>,
) -> Result<Html<String>, AppError> {
    Ok(Html(case_page(&app, &ctx, number, None, None, 0).await?))
}

/// Turns the pairs of an action's form into the JSON fields the engine reads.
fn action_fields(
    pairs: &[(String, String)],
    action: &str,
    workflow: &Workflow,
) -> Map<String, Value> {
    let mut out = Map::new();
    let Some(transition) = workflow.transition(action) else {
        return out;
    };
    for spec in transition.fields {
        let values: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| k == spec.name)
            .map(|(_, v)| v.as_str())
            .collect();
        match spec.kind {
            FieldKind::Organisations => {
                out.insert(
                    spec.name.into(),
                    Value::Array(values.iter().map(|v| Value::String((*v).into())).collect()),
                );
            }
            _ => {
                if let Some(v) = values.first() {
                    out.insert(spec.name.into(), Value::String((*v).into()));
                }
            }
        }
    }
    out
}

pub async fn act(
    State(app): State<App>,
    ctx: Ctx,
    Path(number): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let actor = case_actor(&ctx)?;
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let action = get("action");
    let version: i64 = get("version")
        .parse()
        .map_err(|_| AppError::BadRequest("Biểu mẫu thiếu số phiên bản."))?;
    let seen_event: i64 = get("seen_event").parse().unwrap_or(0);
    let kind = kinds::for_number(&number).ok_or(AppError::NotFound)?;
    let fields = action_fields(&pairs, &action, kind);
    let input = ActionInput {
        version,
        fields: fields.clone(),
    };
    let (target, act_number) = (action.clone(), number.clone());
    let result = app
        .db
        .write(move |c| {
            let calendar = crate::calendar::load(c)?;
            let due = |d, n| calendar.add_working_days(d, n);
            engine::perform(c, &actor, &act_number, &target, &input, &At::now(&due))
        })
        .await;
    let sent = |errors: FieldErrors| {
        Some(SentAction {
            action: action.clone(),
            values: fields.clone(),
            errors,
        })
    };
    let (status, problem, sent, seen) = match result {
        Ok(_) => return Ok(Redirect::to(&format!("/cases/{number}")).into_response()),
        Err(CaseError::Invalid(errors)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, None, sent(errors), 0)
        }
        Err(e @ CaseError::Stale { .. }) => (
            StatusCode::CONFLICT,
            Some(e.message()),
            sent(FieldErrors::new()),
            seen_event,
        ),
        Err(
            e @ (CaseError::WrongState { .. } | CaseError::Refused(_) | CaseError::UnknownAction),
        ) => (
            StatusCode::CONFLICT,
            Some(e.message()),
            sent(FieldErrors::new()),
            seen_event,
        ),
        Err(e) => return Err(e.into()),
    };
    let html = case_page(&app, &ctx, number, sent, problem, seen).await?;
    Ok((status, Html(html)).into_response())
}
