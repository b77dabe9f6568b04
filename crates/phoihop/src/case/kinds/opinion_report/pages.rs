//! The page of a collaborator's reporting schedule (`/people/{id}/schedule`): what they
//! cover, the schedule in force and its history, the next reports it expects with
//! their due and reminder dates, and, for whom the policy lets set it (administrators,
//! the lead body's staff, the liaison or leader of the organisation the collaborator
//! is registered under), the form that sets a new one from a date. Whoever may see
//! the person sees the page; anyone else, and any account that is not a collaborator,
//! gets 404.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use time::Duration;

use crate::access::Role;
use crate::access::policy::{Action, Scope};
use crate::audit::Who;
use crate::calendar::WorkingDayCalendar;
use crate::clock;
use crate::error::{Error, FieldErrors};
use crate::kit::{App, AppError, Ctx, Form, Page};
use crate::org::collaborators::{self, Covered};
use crate::org::people::{self, Person};

use super::period::{self, MAX_DUE_DAY};
use super::schedule::{self, ScheduleForm, ScheduleRow};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/people/{id}/schedule", get(show).post(set))
        .merge(super::rollup_pages::routes())
}

/// How many of the next expected reports the page lists.
const UPCOMING: usize = 3;

/// A row of the history, as shown.
pub struct Line {
    pub rule: String,
    pub remind_days: u8,
    pub valid_from: String,
    pub set_by: String,
    pub set_at: i64,
    pub in_force: bool,
}

/// An expected report, as shown.
pub struct Upcoming {
    pub period: String,
    pub due_on: String,
    pub remind_on: Option<String>,
}

#[derive(Template)]
#[template(path = "schedule.html")]
struct SchedulePage {
    page: Page,
    person: Person,
    covered: Covered,
    lines: Vec<Line>,
    upcoming: Vec<Upcoming>,
    may_set: bool,
    form: ScheduleForm,
    errors: FieldErrors,
    due_days: Vec<u8>,
    saved: bool,
}

/// What the page is drawn from.
struct Loaded {
    person: Person,
    scope: Scope,
    covered: Covered,
    rows: Vec<ScheduleRow>,
    calendar: WorkingDayCalendar,
}

async fn load(app: &App, ctx: &Ctx, id: i64) -> Result<Loaded, AppError> {
    let actor = ctx.actor()?.clone();
    Ok(app
        .db
        .read(move |c| -> crate::error::Result<Loaded> {
            let (person, scope) = people::get_visible(c, &actor, id)?;
            if person.role != Role::Collaborator {
                return Err(Error::NotFound);
            }
            Ok(Loaded {
                covered: collaborators::current(c, id)?,
                rows: schedule::history(c, id)?,
                calendar: crate::calendar::load(c)?,
                person,
                scope,
            })
        })
        .await?)
}

fn render(
    ctx: &Ctx,
    page: Page,
    loaded: Loaded,
    form: Option<ScheduleForm>,
    errors: FieldErrors,
    saved: bool,
) -> Result<String, AppError> {
    let today = clock::today();
    let entries = schedule::entries(&loaded.rows);
    let in_force = period::in_force(&entries, today);
    let lines = loaded
        .rows
        .iter()
        .enumerate()
        .rev()
        .map(|(i, r)| Line {
            rule: schedule::describe(r.entry.rule, ctx.lang),
            remind_days: r.entry.remind_days,
            valid_from: r.valid_from_shown(),
            set_by: r.set_by.clone().unwrap_or_default(),
            set_at: r.created_at,
            in_force: Some(i) == in_force,
        })
        .collect();
    let horizon = today + Duration::days(400);
    let upcoming = period::expected_between(&entries, today, horizon, &loaded.calendar)
        .into_iter()
        .take(UPCOMING)
        .map(|e| Upcoming {
            period: e.period.label(ctx.lang),
            due_on: clock::format_date(e.due_on),
            remind_on: e.remind_on.map(clock::format_date),
        })
        .collect();
    let may_set = ctx.actor()?.can(Action::ScheduleReports, loaded.scope);
    Ok(SchedulePage {
        page,
        lines,
        upcoming,
        may_set,
        form: form.unwrap_or_else(|| {
            ScheduleForm::for_current(in_force.and_then(|i| entries.get(i)), today)
        }),
        errors,
        due_days: (1..=MAX_DUE_DAY).collect(),
        saved,
        person: loaded.person,
        covered: loaded.covered,
    }
    .render()?)
}

pub async fn show(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<crate::kit::Saved>,
) -> Result<Html<String>, AppError> {
    let loaded = load(&app, &ctx, id).await?;
    let page = Page::new(&app, &ctx, "Lịch báo cáo định kỳ");
    let html = render(
        &ctx,
        page,
        loaded,
        None,
        FieldErrors::new(),
        q.saved.is_some(),
    )?;
    Ok(Html(html))
}

pub async fn set(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<ScheduleForm>,
) -> Result<Response, AppError> {
    let loaded = load(&app, &ctx, id).await?;
    let actor = ctx.actor()?;
    if !actor.can(Action::ScheduleReports, loaded.scope) {
        return Err(AppError::Forbidden);
    }
    let who = Who::of(actor, &ctx.ip);
    let result = match form.parse(clock::today()) {
        Ok(new) => {
            app.db
                .write(move |c| schedule::set(c, &who, id, &new))
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/people/{id}/schedule?saved=1")).into_response()),
        Err(Error::Invalid(errors)) => {
            let page = Page::new(&app, &ctx, "Lịch báo cáo định kỳ");
            let html = render(&ctx, page, loaded, Some(form), errors, false)?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
