//! The administrator's page for the working-day calendar, `/admin/calendar`: one
//! year's days off by law (each with the rule that made it) and the entries in force,
//! the holiday rules, and the forms to add an entry or a rule, to withdraw an entry and
//! to end a rule. Also mounts the public API (`api`).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use time::{Date, Weekday};

use crate::access::policy::Action;
use crate::audit::Who;
use crate::calendar::rules::{self, Clash, Refused, RuleForm, RuleLine};
use crate::calendar::{self, DayKind, Entry, EntryForm, HolidayRule, RuleCalendar};
use crate::clock;
use crate::error::{Error, FieldErrors};
use crate::i18n::{Lang, Msg, tr};
use crate::kit::{App, AppError, Ctx, Form, Page};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/admin/calendar", get(show).post(add))
        .route("/admin/calendar/{id}/withdraw", post(withdraw))
        .route("/admin/calendar/rules", post(add_rule))
        .route("/admin/calendar/rules/{id}/end", post(end_rule))
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

/// One day off by law, as listed: its name says which rule made it.
pub struct HolidayLine {
    pub day: String,
    pub weekday: Msg,
    pub name: String,
}

/// A rule's name in the page's language (the English one when it was given).
fn rule_name(lang: Lang, rule: &HolidayRule) -> &str {
    match lang {
        Lang::En if !rule.name_en.is_empty() => &rule.name_en,
        _ => &rule.name,
    }
}

/// One holiday rule, as listed, with its end form as typed.
pub struct RuleRow {
    pub line: RuleLine,
    pub name: String,
    pub calendar: Msg,
    /// "2026–", "1900–2025"; empty when it never applied.
    pub years: String,
    pub end_value: String,
    pub end_error: Option<Msg>,
}

/// What the forms of the page hold: fresh, or as typed with their errors.
struct Forms {
    entry: EntryForm,
    entry_errors: FieldErrors,
    rule: RuleForm,
    rule_errors: FieldErrors,
    clash: Option<Clash>,
    /// A rule's end form as typed, and why it was refused.
    end: Option<(i64, String, Msg)>,
}

impl Default for Forms {
    /// A new rule gives its weekend days back, like every statutory day.
    fn default() -> Forms {
        Forms {
            entry: EntryForm::default(),
            entry_errors: FieldErrors::new(),
            rule: RuleForm {
                compensatory: "1".into(),
                ..RuleForm::default()
            },
            rule_errors: FieldErrors::new(),
            clash: None,
            end: None,
        }
    }
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
    rules: Vec<RuleRow>,
    rule_form: RuleForm,
    rule_errors: FieldErrors,
    /// The rule an overlapping one meets, and their first shared day.
    clash: Option<(String, String)>,
    calendars: [RuleCalendar; 2],
}

async fn calendar_page(app: &App, ctx: &Ctx, year: i32, forms: Forms) -> Result<String, AppError> {
    let (calendar, entries, rule_lines) = app
        .db
        .read(move |c| {
            let calendar = calendar::load(c)?;
            Ok::<_, Error>((calendar, calendar::entries_in(c, year)?, rules::list(c)?))
        })
        .await?;
    let lang = ctx.lang;
    let entries = entries
        .into_iter()
        .map(|entry| EntryLine {
            weekday: weekday_vi(entry.day),
            entry,
        })
        .collect();
    let holidays = calendar
        .holidays_in(year)
        .iter()
        .map(|h| HolidayLine {
            day: clock::format_date(h.date),
            weekday: weekday_vi(h.date),
            name: if h.compensatory {
                format!("{} ({})", tr(lang, "Nghỉ bù"), rule_name(lang, &h.rule))
            } else {
                rule_name(lang, &h.rule).to_owned()
            },
        })
        .collect();
    let rules = rule_lines
        .into_iter()
        .map(|line| {
            let r = &line.rule;
            let (end_value, end_error) = match &forms.end {
                Some((id, typed, msg)) if *id == r.id => (typed.clone(), Some(*msg)),
                _ => (String::new(), None),
            };
            let years = match r.to_year {
                _ if line.never_applied() => String::new(),
                Some(last) => format!("{}–{last}", r.from_year),
                None => format!("{}–", r.from_year),
            };
            RuleRow {
                name: rule_name(lang, r).to_owned(),
                calendar: r.calendar.label_vi(),
                years,
                end_value,
                end_error,
                line,
            }
        })
        .collect();
    Ok(CalendarPage {
        page: Page::new(app, ctx, "Lịch làm việc"),
        year,
        holidays,
        entries,
        form: forms.entry,
        errors: forms.entry_errors,
        kinds: DayKind::ALL,
        rules,
        rule_form: forms.rule,
        rule_errors: forms.rule_errors,
        clash: forms.clash.map(|c| (c.name, clock::format_date(c.day))),
        calendars: RuleCalendar::ALL,
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
    let html = calendar_page(&app, &ctx, year, Forms::default()).await?;
    Ok(Html(html))
}

pub async fn add(
    State(app): State<App>,
    ctx: Ctx,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    ctx.require(Action::ManageReferenceData)?;
    let who = Who::of(ctx.actor()?, &ctx.ip);
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
            let forms = Forms {
                entry: form,
                entry_errors: errors,
                ..Forms::default()
            };
            let html = calendar_page(&app, &ctx, year, forms).await?;
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
    let who = Who::of(ctx.actor()?, &ctx.ip);
    app.db
        .write(move |c| calendar::withdraw_entry(c, &who, id))
        .await?;
    let year = chosen_year(form.year.as_deref());
    Ok(Redirect::to(&format!("/admin/calendar?year={year}")).into_response())
}

/// Adds a holiday rule; a refused one comes back as typed, with the reasons.
pub async fn add_rule(
    State(app): State<App>,
    ctx: Ctx,
    Form(form): Form<RuleForm>,
) -> Result<Response, AppError> {
    ctx.require(Action::ManageReferenceData)?;
    let who = Who::of(ctx.actor()?, &ctx.ip);
    let year = chosen_year(Some(&form.year));
    let submitted = form.clone();
    match app
        .db
        .write(move |c| rules::add_rule(c, &who, &submitted))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/admin/calendar?year={year}#rules")).into_response()),
        Err(Refused::Invalid(errors, clash)) => {
            let forms = Forms {
                rule: form,
                rule_errors: errors,
                clash,
                ..Forms::default()
            };
            let html = calendar_page(&app, &ctx, year, forms).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(Refused::Other(e)) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct EndForm {
    #[serde(default)]
    to_year: String,
    #[serde(default)]
    year: Option<String>,
}

/// Ends a holiday rule at the last year typed.
pub async fn end_rule(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<EndForm>,
) -> Result<Response, AppError> {
    ctx.require(Action::ManageReferenceData)?;
    let who = Who::of(ctx.actor()?, &ctx.ip);
    let year = chosen_year(form.year.as_deref());
    let typed = form.to_year.clone();
    match app
        .db
        .write(move |c| rules::end_rule(c, &who, id, &typed))
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/admin/calendar?year={year}#rules")).into_response()),
        Err(Error::Invalid(errors)) => {
            let msg = errors.get("to_year").unwrap_or("Năm cuối không hợp lệ.");
            let forms = Forms {
                end: Some((id, form.to_year, msg)),
                ..Forms::default()
            };
            let html = calendar_page(&app, &ctx, year, forms).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
