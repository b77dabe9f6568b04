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
use crate::i18n::Msg;
use crate::kit::{App, AppError, Ctx, Form, Page};
use crate::org;
use crate::refdata::{self, Field};

use super::columns::{self, Columns};
use super::engine::{self, ActionInput, At};
use super::fields::form::{self, Input};
use super::fields::show::Shown;
use super::model::CaseActor;
use super::view::{self, CaseView};
use super::workflow::{Party, Transition, Workflow};
use super::{CaseError, kinds, list, new_case};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/cases", get(list_page))
        .route("/cases/new", get(new_case::new_form).post(new_case::create))
        .route("/cases/{number}", get(show))
        .route("/cases/{number}/actions", post(act))
}

/// The person opening a case or acting on one: which cases is the engine's parties'
/// affair (404 for the rest), so a collaborator comes through to their own reports.
pub(crate) fn case_actor(ctx: &Ctx) -> Result<CaseActor, AppError> {
    Ok(CaseActor::from(ctx.require(Action::OpenCases)?))
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
pub(super) trait RenderSized: Template {
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
    /// The cells of the kind's own columns, when the list is of one kind.
    pub cells: Vec<Shown>,
}

#[derive(Template)]
#[template(path = "cases.html")]
struct ListPage {
    page: Page,
    lines: Vec<Line>,
    filter: list::Filter,
    kinds: Vec<&'static Workflow>,
    /// The kinds the person may open, each a button.
    openable: Vec<&'static Workflow>,
    states: Vec<(&'static str, &'static str)>,
    /// What the kind listed alone calls the owning organisation ("Cơ quan" for all).
    owner_label: Msg,
    /// The labels of the kind's own columns, when the list is of one kind.
    columns: Vec<Msg>,
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
    let actor = case_actor(&ctx)?;
    let openable: Vec<&'static Workflow> = kinds::ALL
        .iter()
        .copied()
        .filter(|w| w.opened_by(&actor))
        .collect();
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
        let listed = query.kind.as_deref().and_then(kinds::find);
        let ids: Vec<i64> = found.iter().map(|l| l.id).collect();
        let mut columns = match listed {
            Some(w) => columns::read(c, w, &ids, &tree)?,
            None => Columns::default(),
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
                    cells: columns.cells.remove(&case.id).unwrap_or_default(),
                    case,
                }
            })
            .collect::<Vec<_>>();
        Ok((
            lines,
            columns.labels,
            refdata::active_fields(c, tree.version())?,
        ))
    };
    // A page found by walking one index runs on this thread (bench/RESULTS.md: the hop
    // to the blocking pool costs more than such a read); one that may scan does not.
    let (lines, columns, fields) = if bounded {
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
    let listed = filter.kind.as_deref().and_then(kinds::find);
    let states = match listed {
        Some(w) => w.states.iter().map(|s| (s.code, s.label)).collect(),
        None => Vec::new(),
    };
    let owner_label = listed
        .and_then(|w| w.party_label(Party::Owner))
        .unwrap_or("Cơ quan");
    let page = Page::new(&app, &ctx, "Hồ sơ");
    Ok(Html(
        ListPage {
            page,
            lines,
            filter,
            kinds: kinds::ALL.to_vec(),
            openable,
            states,
            owner_label,
            columns,
            fields,
            next_href,
            export_href,
        }
        .render_sized(32 * 1024)?,
    ))
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    page: Page,
    view: CaseView,
    /// A form per action allowed now; the one sent holds what was typed and what was wrong.
    forms: Vec<ActionForm>,
    /// Why the sent action did not happen (a conflict, a refusal).
    problem: Option<&'static str>,
    /// Events newer than this id happened since the person loaded the page.
    seen_event: i64,
}

/// The form of one action.
struct ActionForm {
    transition: &'static Transition,
    inputs: Vec<Input>,
    /// Problems that belong to none of its inputs (documents missing, unknown fields).
    problems: Vec<Msg>,
}

pub struct SentAction {
    pub action: String,
    pub values: Map<String, Value>,
    pub errors: FieldErrors,
}

impl CasePage {
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
    let no_errors = FieldErrors::new();
    let forms = view
        .actions
        .iter()
        .map(|t| {
            // An action's field the case already holds starts from it: a returned
            // report is corrected, not typed again.
            let held: Map<String, serde_json::Value> = t
                .fields
                .iter()
                .filter_map(|f| Some((f.name.to_owned(), view.case.data.get(f.name)?.clone())))
                .collect();
            let (values, errors) = match &sent {
                Some(s) if s.action == t.action => (s.values.clone(), &s.errors),
                _ => (held, &no_errors),
            };
            let inputs = form::inputs(
                t.fields,
                &format!("{}-", t.action),
                &values,
                errors,
                &view.options,
            );
            ActionForm {
                transition: t,
                problems: form::unplaced(errors, &inputs),
                inputs,
            }
        })
        .collect();
    Ok(CasePage {
        page,
        view,
        forms,
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
    let fields = kind
        .transition(&action)
        .map(|t| form::from_pairs(t.fields, &pairs))
        .unwrap_or_default();
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
