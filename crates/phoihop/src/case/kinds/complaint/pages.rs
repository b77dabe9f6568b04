//! The complaint kind's pages: escalations past level counted by field, locality and
//! period (`/complaints/escalations`, and the same lines as XLSX), for the lead body's
//! staff, and for an agency's liaison or leader over the letters their organisation
//! handles; and the installation's legal time limits (`/admin/complaint-limits`), seen
//! by the lead body's staff and administrators, changed by administrators, one form
//! per limit.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use time::{Date, Month};

use crate::access::policy::{Action, Scope};
use crate::access::{Actor, Role};
use crate::audit::Who;
use crate::clock;
use crate::error::{Error, FieldErrors};
use crate::i18n::{Lang, Msg, tr};
use crate::kit::{App, AppError, Ctx, Form, Page, Saved, urlencode};
use crate::org;
use crate::refdata::{self, Field, Locality};
use crate::report::xlsx::{self, Cell, Sheet};

use super::counts::{self, CountFilter, EscalationCount, Period};
use super::limit_settings::{self, LimitForm};
use super::limits::Counting;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/complaints/escalations", get(escalations))
        .route("/complaints/escalations.xlsx", get(escalations_xlsx))
        .route("/admin/complaint-limits", get(limits_page))
        .route(
            "/admin/complaint-limits/{code}",
            axum::routing::post(change_limit),
        )
}

const TITLE: Msg = "Đơn vượt cấp";
const LIMITS_TITLE: Msg = "Thời hạn giải quyết đơn thư";
const BAD_FROM: Msg = "Ngày bắt đầu không đúng dạng dd/mm/yyyy.";
const BAD_TO: Msg = "Ngày kết thúc không đúng dạng dd/mm/yyyy.";
const BAD_BY: Msg = "Chọn cách chia: theo tháng, quý hoặc năm.";
const BAD_FIELD: Msg = "Chọn lĩnh vực trong danh sách.";
const BAD_LOCALITY: Msg = "Chọn địa bàn trong danh sách.";
const UNNAMED: Msg = "Chưa xác định";

/// Whose letters a person counts: the lead body's staff every letter; an agency's
/// liaison or leader those their organisation, or a unit below it, handles. Anyone
/// else gets 403.
fn counted_for(ctx: &Ctx) -> Result<Option<i64>, AppError> {
    let actor = ctx.actor()?;
    match actor.role {
        Role::Leader | Role::Specialist => Ok(None),
        Role::Liaison | Role::AgencyLeader => Ok(Some(actor.org_id)),
        _ => Err(AppError::Forbidden),
    }
}

/// The filter of the escalations page, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct CountQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub by: String,
    #[serde(default)]
    pub field_id: String,
    #[serde(default)]
    pub locality_id: String,
}

/// The first day of the month eleven months before `today`'s: with `today`, the last
/// twelve months, whole months.
fn twelve_months_before(today: Date) -> Date {
    let months = today.year() * 12 + (today.month() as i32 - 1) - 11;
    let month = Month::try_from((months.rem_euclid(12) + 1) as u8).unwrap_or(Month::January);
    Date::from_calendar_date(months.div_euclid(12), month, 1).unwrap_or(today)
}

fn period_of(code: &str) -> Option<Period> {
    match code {
        "month" => Some(Period::Month),
        "quarter" => Some(Period::Quarter),
        "year" => Some(Period::Year),
        _ => None,
    }
}

fn optional_id(text: &str) -> Result<Option<i64>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<i64>().map(Some).map_err(|_| ())
}

impl CountQuery {
    /// The query with the defaults filled in where nothing was typed.
    fn with_defaults(mut self, today: Date) -> CountQuery {
        if self.from.trim().is_empty() {
            self.from = clock::format_date(twelve_months_before(today));
        }
        if self.to.trim().is_empty() {
            self.to = clock::format_date(today);
        }
        if self.by.trim().is_empty() {
            self.by = "month".into();
        }
        self
    }

    fn parse(&self) -> Result<(CountFilter, Period), FieldErrors> {
        let mut errors = FieldErrors::new();
        let from = errors.check("from", clock::parse_user_date(&self.from).ok_or(BAD_FROM));
        let to = errors.check("to", clock::parse_user_date(&self.to).ok_or(BAD_TO));
        let period = errors.check("by", period_of(self.by.trim()).ok_or(BAD_BY));
        let field_id = errors.check(
            "field_id",
            optional_id(&self.field_id).map_err(|_| BAD_FIELD),
        );
        let locality_id = errors.check(
            "locality_id",
            optional_id(&self.locality_id).map_err(|_| BAD_LOCALITY),
        );
        match (from, to, period, field_id, locality_id) {
            (Some(from), Some(to), Some(period), Some(field_id), Some(locality_id))
                if errors.is_empty() =>
            {
                Ok((
                    CountFilter {
                        from,
                        to,
                        field_id,
                        locality_id,
                    },
                    period,
                ))
            }
            _ => Err(errors),
        }
    }

    /// The query string that asks for the same lines.
    fn query_string(&self) -> String {
        format!(
            "from={}&to={}&by={}&field_id={}&locality_id={}",
            urlencode(self.from.trim()),
            urlencode(self.to.trim()),
            urlencode(self.by.trim()),
            urlencode(self.field_id.trim()),
            urlencode(self.locality_id.trim()),
        )
    }
}

/// One line as shown and exported.
pub struct Line {
    pub period: String,
    pub field: String,
    pub locality: String,
    pub letters: i64,
    pub escalated: i64,
    pub share: String,
}

/// `part` of `whole` in percent, one decimal, written as the language writes numbers.
fn share(lang: Lang, part: i64, whole: i64) -> String {
    if whole == 0 {
        return "—".into();
    }
    let text = format!("{:.1}", part as f64 * 100.0 / whole as f64);
    match lang {
        Lang::Vi => format!("{} %", text.replace('.', ",")),
        Lang::En => format!("{text}%"),
    }
}

fn lines_of(lang: Lang, counted: &[EscalationCount]) -> Vec<Line> {
    counted
        .iter()
        .map(|c| Line {
            period: Period::label(lang, &c.period),
            field: c.field.clone().unwrap_or_else(|| tr(lang, UNNAMED).into()),
            locality: c
                .locality
                .clone()
                .unwrap_or_else(|| tr(lang, UNNAMED).into()),
            letters: c.letters,
            escalated: c.escalated,
            share: share(lang, c.escalated, c.letters),
        })
        .collect()
}

/// What the count found, or why it could not count; `own` limits it to the letters
/// that organisation and those below it handle.
async fn count(
    app: &App,
    query: &CountQuery,
    own: Option<i64>,
) -> Result<Result<Vec<EscalationCount>, FieldErrors>, AppError> {
    let (filter, period) = match query.parse() {
        Ok(parsed) => parsed,
        Err(errors) => return Ok(Err(errors)),
    };
    let counted = app
        .db
        .read(move |c| match own {
            None => counts::count_escalations(c, &filter, period),
            Some(own) => {
                let all = org::list_all(c)?;
                let orgs: Vec<i64> = all
                    .iter()
                    .filter(|o| org::is_ancestor(&all, own, o.id))
                    .map(|o| o.id)
                    .collect();
                counts::count_escalations_handled_by(c, &filter, period, &orgs)
            }
        })
        .await;
    match counted {
        Ok(lines) => Ok(Ok(lines)),
        Err(Error::Invalid(errors)) => Ok(Err(errors)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "complaint_escalations.html")]
struct EscalationsPage {
    page: Page,
    query: CountQuery,
    errors: FieldErrors,
    lines: Vec<Line>,
    letters: i64,
    escalated: i64,
    share: String,
    fields: Vec<Field>,
    localities: Vec<Locality>,
    xlsx_href: String,
    /// Only the letters the person's own organisation handles are counted.
    own_only: bool,
}

pub async fn escalations(
    State(app): State<App>,
    ctx: Ctx,
    Query(query): Query<CountQuery>,
) -> Result<Response, AppError> {
    let own = counted_for(&ctx)?;
    let query = query.with_defaults(clock::today());
    let counted = count(&app, &query, own).await?;
    let (fields, localities) = app
        .db
        .read(|c| Ok::<_, Error>((refdata::fields(c, true)?, refdata::localities(c, true)?)))
        .await?;
    let lang = ctx.lang;
    let (lines, errors, status) = match counted {
        Ok(counted) => (lines_of(lang, &counted), FieldErrors::new(), StatusCode::OK),
        Err(errors) => (Vec::new(), errors, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let letters = lines.iter().map(|l| l.letters).sum();
    let escalated = lines.iter().map(|l| l.escalated).sum();
    let html = EscalationsPage {
        page: Page::new(&app, &ctx, TITLE),
        xlsx_href: format!("/complaints/escalations.xlsx?{}", query.query_string()),
        query,
        errors,
        lines,
        letters,
        escalated,
        share: share(lang, escalated, letters),
        fields,
        localities,
        own_only: own.is_some(),
    }
    .render()?;
    Ok((status, Html(html)).into_response())
}

pub async fn escalations_xlsx(
    State(app): State<App>,
    ctx: Ctx,
    Query(query): Query<CountQuery>,
) -> Result<Response, AppError> {
    let own = counted_for(&ctx)?;
    let today = clock::today();
    let query = query.with_defaults(today);
    let counted = match count(&app, &query, own).await? {
        Ok(counted) => counted,
        Err(errors) => {
            return Err(AppError::BadRequest(
                errors.0.first().map_or(BAD_FROM, |(_, m)| *m),
            ));
        }
    };
    let lang = ctx.lang;
    let mut rows: Vec<Vec<Cell>> = counted
        .iter()
        .zip(lines_of(lang, &counted))
        .map(|(c, line)| {
            vec![
                Cell::from(line.period),
                Cell::from(line.field),
                Cell::from(line.locality),
                Cell::from(c.letters),
                Cell::from(c.escalated),
                percent(c.escalated, c.letters),
            ]
        })
        .collect();
    let letters: i64 = counted.iter().map(|c| c.letters).sum();
    let escalated: i64 = counted.iter().map(|c| c.escalated).sum();
    rows.push(vec![
        Cell::from(tr(lang, "Tổng cộng")),
        Cell::Empty,
        Cell::Empty,
        Cell::from(letters),
        Cell::from(escalated),
        percent(escalated, letters),
    ]);
    let sheet = Sheet {
        name: TITLE.into(),
        header: [
            "Kỳ",
            "Lĩnh vực",
            "Địa bàn",
            "Số đơn",
            "Vượt cấp",
            "Tỷ lệ (%)",
        ]
        .iter()
        .map(|h| tr(lang, h).to_owned())
        .collect(),
        rows,
        widths: vec![16.0, 30.0, 30.0, 10.0, 10.0, 10.0],
    };
    let file = format!("don-vuot-cap-{}.xlsx", clock::iso_date(today));
    xlsx::download(&file, &[sheet])
}

/// A share as a number of percent with one decimal, or empty when nothing was received.
fn percent(part: i64, whole: i64) -> Cell {
    if whole == 0 {
        return Cell::Empty;
    }
    Cell::Number((part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

/// One limit as listed, with its form as it stands or as typed.
pub struct LimitRow {
    pub code: &'static str,
    pub label: Msg,
    pub basis: Msg,
    pub days: u32,
    pub counting: Msg,
    /// The installation's reason for its change, who made it and when.
    pub changed: Option<(String, String, i64)>,
    pub form: LimitForm,
    pub errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "complaint_limits.html")]
struct LimitsPage {
    page: Page,
    rows: Vec<LimitRow>,
    may_change: bool,
    saved: bool,
    countings: [Counting; 2],
}

/// The lead body's staff and administrators see the limits; anyone else gets 403.
fn may_see_limits(ctx: &Ctx) -> Result<&Actor, AppError> {
    let actor = ctx.actor()?;
    if matches!(actor.role, Role::Admin | Role::Leader | Role::Specialist) {
        Ok(actor)
    } else {
        Err(AppError::Forbidden)
    }
}

async fn render_limits(
    app: &App,
    ctx: &Ctx,
    typed: Option<(String, LimitForm, FieldErrors)>,
    saved: bool,
) -> Result<String, AppError> {
    let actor = may_see_limits(ctx)?;
    let may_change = actor.can(Action::ManageReferenceData, Scope::Installation);
    let limits = app.db.read(limit_settings::load).await?;
    let mut typed = typed;
    let rows = limits
        .all()
        .iter()
        .map(|l| {
            let (form, errors) = match typed.take_if(|(code, _, _)| code == l.spec.code) {
                Some((_, form, errors)) => (form, errors),
                None => (
                    LimitForm {
                        days: l.days.to_string(),
                        counting: l.counting.code().into(),
                        basis: String::new(),
                    },
                    FieldErrors::new(),
                ),
            };
            LimitRow {
                code: l.spec.code,
                label: l.spec.label,
                basis: l.spec.basis,
                days: l.days,
                counting: l.counting.label(),
                changed: l
                    .changed
                    .as_ref()
                    .map(|c| (c.basis.clone(), c.by.clone().unwrap_or_default(), c.at)),
                form,
                errors,
            }
        })
        .collect();
    Ok(LimitsPage {
        page: Page::new(app, ctx, LIMITS_TITLE),
        rows,
        may_change,
        saved,
        countings: Counting::ALL,
    }
    .render()?)
}

pub async fn limits_page(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<Saved>,
) -> Result<Html<String>, AppError> {
    Ok(Html(
        render_limits(&app, &ctx, None, q.saved.is_some()).await?,
    ))
}

pub async fn change_limit(
    State(app): State<App>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(form): Form<LimitForm>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    if !actor.can(Action::ManageReferenceData, Scope::Installation) {
        return Err(AppError::Forbidden);
    }
    let who = Who::of(actor, &ctx.ip);
    let role = actor.role;
    let (at, typed) = (code.clone(), form.clone());
    let result = app
        .db
        .write(move |c| limit_settings::change(c, &who, role, &at, &typed))
        .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!(
            "/admin/complaint-limits?saved=1#limit-{}",
            urlencode(&code)
        ))
        .into_response()),
        Err(Error::Invalid(errors)) => {
            let html = render_limits(&app, &ctx, Some((code, form, errors)), false).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
pub(super) fn messages() -> Vec<Msg> {
    vec![
        TITLE,
        LIMITS_TITLE,
        BAD_FROM,
        BAD_TO,
        BAD_BY,
        BAD_FIELD,
        BAD_LOCALITY,
        UNNAMED,
        "Tổng cộng",
        "Kỳ",
        "Số đơn",
        "Vượt cấp",
        "Tỷ lệ (%)",
    ]
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn the_default_span_is_the_last_twelve_whole_months() {
        assert_eq!(
            twelve_months_before(date!(2026 - 12 - 03)),
            date!(2026 - 01 - 01)
        );
        assert_eq!(
            twelve_months_before(date!(2026 - 03 - 31)),
            date!(2025 - 04 - 01)
        );
        assert_eq!(
            twelve_months_before(date!(2026 - 11 - 30)),
            date!(2025 - 12 - 01)
        );
    }

    #[test]
    fn shares_are_written_as_each_language_writes_them() {
        assert_eq!(share(Lang::Vi, 1, 8), "12,5 %");
        assert_eq!(share(Lang::En, 1, 8), "12.5%");
        assert_eq!(share(Lang::En, 0, 0), "—");
    }
}
