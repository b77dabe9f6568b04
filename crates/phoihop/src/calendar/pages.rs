//! The administrator's page for the working-day calendar, `/admin/calendar`: one
//! year's days off by law and the entries in force, with the forms to add an entry
//! and to withdraw one. Also mounts the public API (`api`).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use time::{Date, Weekday};

use crate::auth::policy::Action;
use crate::calendar::{self, DayKind, Entry, EntryForm, WorkingDayCalendar};
use crate::clock;
use crate::error::{Error, FieldErrors};
use crate::i18n::Msg;
use crate::web::App;
use crate::web::ctx::{Ctx, Form};
use crate::web::error::AppError;
use crate::web::page::Page;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/admin/calendar", get(show).post(add))
        .route("/admin/calendar/{id}/withdraw", post(withdraw))
        .merge(calendar::api::routes())
}

pub fn weekday_vi(date: Date) -> Msg {
    match date.weekday() {
        Weekday::Monday => "Thứ Hai",
        Weekday::Tuesday => "Thứ Ba",
        Weekday::Wednesday => "Thứ Tư",
        Weekday::Thursday => "Thứ Năm",
        Weekday::Friday => "Thứ Sáu",
        Weekday::Saturday => "Thứ Bảy",
        Weekday::Sunday => "Chủ nhật",
    }
}

/// One day off by law, as listed.
pub struct HolidayLine {
    pub day: String,
    pub weekday: Msg,
    pub name: Msg,
}

pub struct EntryLine {
    pub entry: Entry,
    pub weekday: Msg,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    page: Page,
    year: i32,
    holidays: Vec<HolidayLine>,
    entries: Vec<EntryLine>,
    form: EntryForm,
    errors: FieldErrors,
    kinds: [DayKind; 2],
}

async fn calendar_page(
    app: &App,
    ctx: &Ctx,
    year: i32,
    form: EntryForm,
    errors: FieldErrors,
) -> Result<String, AppError> {
    let entries = app
        .db
        .read(move |c| calendar::entries_in(c, year))
        .await?
        .into_iter()
        .map(|entry| EntryLine {
            weekday: weekday_vi(entry.day),
            entry,
        })
        .collect();
    let holidays = WorkingDayCalendar::statutory()
        .holidays_in(year)
        .iter()
        .map(|h| HolidayLine {
            day: clock::format_date(h.date),
            weekday: weekday_vi(h.date),
            name: h.name_vi(),
        })
        .collect();
    Ok(CalendarPage {
        page: Page::new(app, ctx, "Lịch làm việc"),
        year,
        holidays,
        entries,
        form,
        errors,
        kinds: DayKind::ALL,
    }
    .render()?)
}

#[derive(serde::Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<String>,
}

/// The year asked for, when the calendar covers it; this year (in Vietnam) otherwise.
fn chosen_year(text: Option<&str>) -> i32 {
    text.and_then(|y| y.trim().parse().ok())
        .filter(|y| calendar::lunar::YEARS.contains(y))
        .unwrap_or_else(|| clock::today().year())
}

pub async fn show(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<YearQuery>,
) -> Result<Html<String>, AppError> {
    ctx.require(Action::ManageReferenceData)?;
    let year = chosen_year(q.year.as_deref());
    let html = calendar_page(&app, &ctx, year, EntryForm::default(), FieldErrors::new()).await?;
    Ok(Html(html))
}

pub async fn add(
    State(app): State<App>,
    ctx: Ctx,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    ctx.require(Action::ManageReferenceData)?;
    let who = ctx.actor()?.who(&ctx.ip);
    // Back to the year of the day typed, so the new entry is in view.
    let year = clock::parse_user_date(&form.day).map(|d| d.year());
    let year = chosen_year(year.map(|y| y.to_string()).as_deref());
    let submitted = form.clone();
    match app
        .db
        .write(move |c| calendar::add_entry(c, &who, &submitted))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/admin/calendar?year={year}")).into_response()),
        Err(Error::Invalid(errors)) => {
            let html = calendar_page(&app, &ctx, year, form, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct WithdrawForm {
    /// The year the page showed, to go back to it.
    #[serde(default)]
    year: Option<String>,
}

pub async fn withdraw(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<WithdrawForm>,
) -> Result<Response, AppError> {
    ctx.require(Action::ManageReferenceData)?;
    let who = ctx.actor()?.who(&ctx.ip);
    app.db
        .write(move |c| calendar::withdraw_entry(c, &who, id))
        .await?;
    let year = chosen_year(form.year.as_deref());
    Ok(Redirect::to(&format!("/admin/calendar?year={year}")).into_response())
}
